// Everyone who has signed in: roles from their last sign-in, and their groups with the roles
// each grants under the current SHIPLOG_ROLE_GROUPS; those an administrator disabled say so.
import { formatUtc } from "./format";

export type UserListItem = {
  id: string;
  name: string | null;
  email: string | null;
  roles: string[];
  groups: { name: string; grants: string[] }[];
  providers: string[];
  lastSeenAt: Date | null;
  disabledAt: Date | null;
};

export function UserTable({ users }: { users: UserListItem[] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Users</caption>
      <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
        <tr>
          {["Name", "E-mail", "Roles", "Groups", "Signs in with", "Last seen"].map((h) => (
            <th key={h} scope="col" className="py-2 pr-4 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {users.length === 0 && (
          <tr>
            <td colSpan={6} className="py-4 text-zinc-500">
              Nobody has signed in yet.
            </td>
          </tr>
        )}
        {users.map((user) => (
          <tr key={user.id} className="border-b border-zinc-100 align-top dark:border-zinc-900">
            <td className="py-2 pr-4 font-medium">
              {user.name ?? "—"}
              {user.disabledAt && (
                <span className="ml-2 rounded bg-zinc-200 px-1.5 py-0.5 text-xs font-normal text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                  disabled {formatUtc(user.disabledAt)}
                </span>
              )}
            </td>
            <td className="py-2 pr-4">{user.email ?? "—"}</td>
            <td className="py-2 pr-4">{user.roles.join(", ") || "viewer"}</td>
            <td className="py-2 pr-4">
              {user.groups.length === 0
                ? "—"
                : user.groups.map((group) => (
                    <span key={group.name} className="block">
                      {group.name}
                      {group.grants.length > 0 && (
                        <span className="text-zinc-500"> → {group.grants.join(", ")}</span>
                      )}
                    </span>
                  ))}
            </td>
            <td className="py-2 pr-4">{user.providers.join(", ") || "—"}</td>
            <td className="py-2">{formatUtc(user.lastSeenAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
