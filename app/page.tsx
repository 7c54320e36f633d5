// Releases: what runs in each environment now, and the newest commits with their stages,
// filtered by the URL. The server renders the first paint; the client keeps it live. Viewers
// only: the page asks the guard itself, not only through proxy.ts.
import { requirePageRole } from "@/lib/auth/current-user";
import { NeedsRole } from "@/components/auth/needs-role";
import { configuredEnvironments, listApps, listCommits } from "@/lib/db/commits";
import { listDeployments } from "@/lib/db/deployments";
import { BadInput } from "@/lib/errors";
import { PAGE_SIZE, readFilters, statusFilter, type SearchParams } from "@/lib/ui/releases-filters";
import { CommitList } from "@/components/releases/commit-list";
import { DeploymentsPanel } from "@/components/releases/deployments-panel";
import { FilterBar } from "@/components/releases/filter-bar";
import { EmptyReleases } from "@/components/empty-releases";
import Link from "next/link";

export const dynamic = "force-dynamic";

/** The path and its query, for coming back here after signing in. */
function pathWithQuery(path: string, query: SearchParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      search.append(key, one);
    }
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export default async function ReleasesPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const query = await searchParams;
  const access = await requirePageRole("viewer", pathWithQuery("/", query));
  if (access.forbidden !== undefined) return <NeedsRole reason={access.forbidden} />;
  const { filters, problems } = readFilters(query);
  const [apps, deployments] = await Promise.all([listApps(), listDeployments(filters.app)]);
  if (apps.length === 0) {
    return (
      <>
        <h1 className="mb-6 text-2xl font-semibold tracking-tight">Releases</h1>
        <EmptyReleases />
      </>
    );
  }
  let page;
  try {
    page = await listCommits({
      app: filters.app,
      environment: filters.environment,
      branch: filters.branch,
      status: statusFilter(filters),
      author: filters.author,
      q: filters.q,
      cursor: filters.cursor,
      limit: PAGE_SIZE,
    });
  } catch (error) {
    if (!(error instanceof BadInput)) throw error;
    problems.push(error.message);
    page = null;
  }
  const environments = [
    ...new Set([...configuredEnvironments(), ...apps.flatMap((a) => a.environments)]),
  ];
  const appNames = apps.map((a) => a.name);
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">
        Releases{filters.app ? <span className="text-zinc-500"> · {filters.app}</span> : null}
      </h1>
      {problems.length > 0 ? (
        <div
          role="alert"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          {problems.map((p) => (
            <p key={p}>{p}.</p>
          ))}
          <p>
            Change the filters below or{" "}
            <Link href="/" className="underline">
              start over
            </Link>
            .
          </p>
        </div>
      ) : null}
      <DeploymentsPanel
        app={filters.app}
        apps={filters.app ? [filters.app] : appNames}
        initialDeployments={deployments}
      />
      <FilterBar filters={filters} apps={appNames} environments={environments} />
      {page ? (
        <CommitList filters={filters} initialPage={page} environments={environments} />
      ) : null}
    </>
  );
}
