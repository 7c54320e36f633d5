"use client";
// A commit's timeline: the commit, then every stage in order, kept live by server-sent events
// (its query key is invalidated when this commit's timeline changes).
import { useQuery } from "@tanstack/react-query";
import type { CommitTimeline } from "@/lib/timeline/types";
import { fetchJson, withQuery } from "@/lib/client/api";
import { queryKeys } from "@/lib/query-keys";
import { groupAttempts } from "@/lib/ui/attempts";
import { StatusBadge } from "@/components/ui/status-icon";
import { RelativeTime } from "@/components/ui/relative-time";
import { StageItem, type TimelineViewer } from "./stage-item";

function commitUrl(timeline: CommitTimeline): string | null {
  if (timeline.url) return timeline.url;
  if (!timeline.repoUrl) return null;
  return `${timeline.repoUrl.replace(/\/+$/, "")}/commit/${timeline.sha}`;
}

export function TimelineView({
  app,
  sha,
  initialTimeline,
  viewer,
}: {
  app: string;
  sha: string;
  initialTimeline: CommitTimeline;
  /** Who is looking: their roles (re-runs) and the commit's gates with their access to each. */
  viewer: TimelineViewer;
}) {
  const { data = initialTimeline, error } = useQuery({
    queryKey: queryKeys.commits.detail(app, sha),
    queryFn: ({ signal }) =>
      fetchJson<CommitTimeline>(withQuery(`/api/v1/commits/${sha}`, { app }), signal),
    initialData: initialTimeline,
  });
  const [title, ...body] = (data.message ?? "").split("\n");
  const link = commitUrl(data);
  const stages = data.stages.filter((s) => s.stage !== "source");
  const groups = groupAttempts(stages);
  return (
    <article aria-labelledby="commit-title" data-testid="timeline" data-sha={data.sha}>
      <header className="mb-6 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={data.status} />
          <span className="text-sm text-zinc-500">{data.app}</span>
          <code className="font-mono text-sm" title={data.sha}>
            {data.shortSha}
          </code>
          {data.branch ? (
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
              {data.branch}
            </span>
          ) : null}
        </div>
        <h1 id="commit-title" className="mt-2 text-xl font-semibold break-words">
          {title || "(no message)"}
        </h1>
        {body.join("\n").trim() ? (
          <p className="mt-2 text-sm whitespace-pre-line text-zinc-600 dark:text-zinc-400">
            {body.join("\n").trim()}
          </p>
        ) : null}
        <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <span>{data.author ?? "unknown author"}</span>
          <span>
            committed <RelativeTime iso={data.committedAt} />
          </span>
          {link ? (
            <a
              href={link}
              className="text-sky-700 underline dark:text-sky-400"
              rel="noreferrer"
              target="_blank"
            >
              View the commit in its repository
              <span className="sr-only"> (opens in a new tab)</span>
            </a>
          ) : null}
        </p>
      </header>
      {error ? (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          Could not refresh this timeline ({error.message}); what is shown may be out of date.
        </p>
      ) : null}
      <h2 className="mb-3 text-lg font-semibold">Stages</h2>
      {groups.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          Nothing has happened to this commit yet. Its build appears here once kpack starts one for
          it; keep this page open, it updates by itself.
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Stages in order">
          {groups.map((g) => (
            <StageItem
              key={g.key}
              group={g}
              app={data.app}
              sha={data.sha}
              stages={data.stages}
              viewer={viewer}
            />
          ))}
        </ol>
      )}
    </article>
  );
}
