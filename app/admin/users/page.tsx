// /admin/users: who has signed in, their roles and groups. Admin only.
import type { Metadata } from "next";
import { AdminNav } from "@/components/auth/admin-nav";
import { NeedsRole } from "@/components/auth/needs-role";
import { UserTable } from "@/components/auth/user-table";
import { requirePageRole } from "@/lib/auth/current-user";
import { grantsOf } from "@/lib/auth/roles";
import { listUsers } from "@/lib/auth/users";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const access = await requirePageRole("admin", "/admin/users");
  if (access.forbidden) return <NeedsRole reason={access.forbidden} />;
  const mapping = config().auth.roleGroups;
  const users = (await listUsers(pool())).map((user) => ({
    ...user,
    groups: user.groups.map((name) => ({ name, grants: grantsOf(name, mapping) })),
  }));
  return (
    <>
      <AdminNav current="users" />
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">Users</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Roles are granted at sign-in from SSO groups (<code>SHIPLOG_ROLE_GROUPS</code>); a change to
        the groups takes effect at the person&apos;s next sign-in. To end someone&apos;s sessions
        now and refuse their sign-ins, run <code>npm run user -- disable USERNAME</code>.
      </p>
      <UserTable users={users} />
    </>
  );
}
