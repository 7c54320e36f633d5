// Releases overview: one row per app with its newest commit.
import type { AppListing } from "@/lib/db/commits";

export function AppList({ apps }: { apps: AppListing[] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Apps and their newest commit</caption>
      <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
        <tr>
          <th scope="col" className="py-2 pr-4 font-medium">
            App
          </th>
          <th scope="col" className="py-2 pr-4 font-medium">
            Newest commit
          </th>
          <th scope="col" className="py-2 pr-4 font-medium">
            Status
          </th>
          <th scope="col" className="py-2 font-medium">
            Environments
          </th>
        </tr>
      </thead>
      <tbody>
        {apps.map((app) => (
          <tr key={app.name} className="border-b border-zinc-100 dark:border-zinc-900">
            <td className="py-2 pr-4 font-medium">{app.name}</td>
            <td className="py-2 pr-4">
              {app.latest ? (
                <span>
                  <code className="font-mono">{app.latest.shortSha}</code>{" "}
                  <span className="text-zinc-600 dark:text-zinc-400">
                    {app.latest.message?.split("\n")[0]}
                  </span>
                </span>
              ) : (
                <span className="text-zinc-500">none yet</span>
              )}
            </td>
            <td className="py-2 pr-4">{app.latest?.status ?? "—"}</td>
            <td className="py-2">{app.environments.join(", ") || "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
