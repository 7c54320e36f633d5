"use client";
// The newest commits for the Releases filters, each with its stage strip; kept live by
// server-sent events (the list's query key is invalidated when one of its commits changes).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { CommitPage } from "@/lib/db/commits";
import { fetchJson, withQuery } from "@/lib/client/api";
import { queryKeys, type CommitFilters } from "@/lib/query-keys";
import { stageColumns } from "@/lib/ui/stage-columns";
import { hasFilters, PAGE_SIZE, releasesHref } from "@/lib/ui/releases-filters";
import { StatusBadge } from "@/components/ui/status-icon";
import { RelativeTime } from "@/components/ui/relative-time";
import { StageStrip } from "./stage-strip";

export function commitsUrl(filters: CommitFilters): string {
  return withQuery("/api/v1/commits", { ...filters, limit: String(PAGE_SIZE) });
}

export function commitHref(app: string, sha: string): string {
  return `/apps/${encodeURIComponent(app)}/commits/${sha}`;
}

export function CommitList({
  filters,
  initialPage,
  environments,
}: {
  filters: CommitFilters;
  initialPage: CommitPage;
  environments: string[];
}) {
  const { data, error, isFetching } = useQuery({
    queryKey: queryKeys.commits.list(filters),
    queryFn: ({ signal }) => fetchJson<CommitPage>(commitsUrl(filters), signal),
    initialData: initialPage,
    placeholderData: keepPreviousData,
  });
  const page = data ?? initialPage;
  const columns = stageColumns(
    environments,
    page.items.map((c) => c.stages),
  );
  return (
    <section aria-labelledby="commits-title" aria-busy={isFetching}>
      <h2 id="commits-title" className="mb-3 text-lg font-semibold">
        Commits
      </h2>
      {error ? (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          Could not refresh the commits ({error.message}). What is shown may be out of date; reload
          the page to try again.
        </p>
      ) : null}
      {page.items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {hasFilters(filters) ? (
            <p>
              No commit matches these filters.{" "}
              <Link href="/" className="underline">
                Clear the filters
              </Link>{" "}
              or search by fewer words.
            </p>
          ) : (
            <p>No commits yet. They appear here when Git pushes or a kpack Build names them.</p>
          )}
        </div>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {page.items.map((commit) => (
            <li
              key={`${commit.app}/${commit.sha}`}
              data-testid="commit-row"
              data-sha={commit.sha}
              data-app={commit.app}
              data-author={commit.author ?? ""}
              data-status={commit.status}
              className="flex flex-col gap-2 px-3 py-3 sm:px-4"
            >
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <StatusBadge status={commit.status} />
                <Link
                  href={commitHref(commit.app, commit.sha)}
                  className="font-mono text-sm font-medium text-sky-700 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
                  aria-label={`Timeline of ${commit.app} commit ${commit.shortSha}`}
                >
                  {commit.shortSha}
                </Link>
                <span className="min-w-0 flex-1 truncate text-sm">
                  {commit.message?.split("\n")[0] ?? <em className="text-zinc-500">no message</em>}
                </span>
              </div>
              <div className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
                <span className="font-medium text-zinc-700 dark:text-zinc-300">{commit.app}</span>
                {commit.branch ? <span>{commit.branch}</span> : null}
                {commit.author ? <span>{commit.author}</span> : null}
                <RelativeTime iso={commit.committedAt} />
              </div>
              <StageStrip columns={columns} stages={commit.stages} />
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="Pages" className="mt-3 flex gap-4 text-sm">
        {filters.cursor ? (
          <Link href={releasesHref(filters, { cursor: undefined })} className="underline">
            Newest commits
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            href={releasesHref(filters, { cursor: page.nextCursor })}
            className="underline"
            rel="next"
          >
            Older commits
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
