"use client";
// What runs in each environment now, per app: commit, image digest, since when, health.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { Deployment } from "@/lib/db/deployments";
import { fetchJson, withQuery } from "@/lib/client/api";
import { queryKeys } from "@/lib/query-keys";
import { healthStatus } from "@/lib/ui/status";
import { StatusBadge } from "@/components/ui/status-icon";
import { RelativeTime } from "@/components/ui/relative-time";
import { commitHref } from "./commit-list";

function shortDigest(digest: string | null): string {
  return digest ? `${digest.slice(0, 19)}…` : "—";
}

export function DeploymentsPanel({
  app,
  apps,
  initialDeployments,
}: {
  app: string | undefined;
  apps: string[];
  initialDeployments: Deployment[];
}) {
  const { data = initialDeployments, error } = useQuery({
    queryKey: queryKeys.deployments.list(app),
    queryFn: ({ signal }) =>
      fetchJson<Deployment[]>(withQuery("/api/v1/deployments", { app }), signal),
    initialData: initialDeployments,
  });
  const shown = app ? [app] : apps;
  return (
    <section aria-labelledby="now-title" className="mb-8">
      <h2 id="now-title" className="mb-3 text-lg font-semibold">
        Running now
      </h2>
      {error ? (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          Could not refresh what runs now ({error.message}); reload the page to try again.
        </p>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        {shown.map((name) => {
          const rows = data.filter((d) => d.app === name);
          return (
            <article
              key={name}
              aria-labelledby={`now-${name}`}
              data-testid="app-deployments"
              data-app={name}
              className="min-w-0 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <h3 id={`now-${name}`} className="mb-2 font-medium">
                <Link href={`/?app=${encodeURIComponent(name)}`} className="hover:underline">
                  {name}
                </Link>
              </h3>
              {rows.length === 0 ? (
                <p className="text-sm text-zinc-500 dark:text-zinc-400">
                  Not deployed anywhere yet: a deploy shows here once Argo CD syncs a commit of{" "}
                  {name}.
                </p>
              ) : (
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">What runs in each environment of {name}</caption>
                    <thead className="text-xs text-zinc-500 dark:text-zinc-400">
                      <tr>
                        <th scope="col" className="pr-3 pb-1 font-medium">
                          Environment
                        </th>
                        <th scope="col" className="pr-3 pb-1 font-medium">
                          Commit
                        </th>
                        <th scope="col" className="hidden pr-3 pb-1 font-medium sm:table-cell">
                          Image
                        </th>
                        <th scope="col" className="pr-3 pb-1 font-medium">
                          Since
                        </th>
                        <th scope="col" className="pb-1 font-medium">
                          Health
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((d) => (
                        <tr
                          key={`${d.cluster}/${d.application}`}
                          data-environment={d.environment ?? ""}
                          className="border-t border-zinc-100 dark:border-zinc-800"
                        >
                          <th scope="row" className="py-1 pr-3 font-medium">
                            {d.environment ?? d.cluster}
                          </th>
                          <td className="py-1 pr-3">
                            <Link
                              href={commitHref(d.app, d.sha)}
                              className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                              aria-label={`Timeline of ${d.app} commit ${d.shortSha}`}
                            >
                              {d.shortSha}
                            </Link>
                          </td>
                          <td
                            className="hidden py-1 pr-3 font-mono text-xs sm:table-cell"
                            title={d.digest ?? undefined}
                          >
                            {shortDigest(d.digest)}
                          </td>
                          <td className="py-1 pr-3 whitespace-nowrap">
                            <RelativeTime iso={d.since} />
                          </td>
                          <td className="py-1">
                            <StatusBadge
                              status={healthStatus(d.health)}
                              label={
                                d.syncStatus && d.syncStatus !== "Synced"
                                  ? `${d.health ?? "Unknown"}, ${d.syncStatus}`
                                  : (d.health ?? "Unknown")
                              }
                            />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}
