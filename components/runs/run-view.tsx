"use client";
// A PipelineRun's TaskRuns and their steps, or a kpack Build's lifecycle steps, with each step's
// log one click away (failed steps open by themselves).
import { isInFlight } from "@/lib/timeline/summary";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ApiError, fetchJson } from "@/lib/client/api";
import {
  runUrl,
  type RunDetail,
  type RunGroup,
  type RunPath,
  type RunStep,
} from "@/lib/client/run-detail";
import { useNow } from "@/lib/client/use-now";
import { queryKeys } from "@/lib/query-keys";
import { STATUS_LABEL, STATUS_TONE } from "@/lib/ui/status";
import { elapsedMs, formatDuration } from "@/lib/ui/time";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge, StatusIcon, TONE_TEXT } from "@/components/ui/status-icon";
import { StepLog } from "./step-log";

function Elapsed({
  status,
  startedAt,
  finishedAt,
  durationMs,
}: {
  status: RunDetail["status"];
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}) {
  const running = isInFlight(status) && !finishedAt && startedAt !== null;
  const now = useNow(running ? 1000 : 0);
  return (
    <span className="tabular-nums" suppressHydrationWarning>
      {formatDuration(running ? elapsedMs(startedAt, null, now) : durationMs)}
    </span>
  );
}

function StepRow({ run, group, step }: { run: RunPath; group: RunGroup; step: RunStep }) {
  const [open, setOpen] = useState(step.status === "failed");
  const tone = STATUS_TONE[step.status];
  return (
    <li data-testid="run-step" data-step={step.name} data-status={step.status}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="group">
        <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 rounded px-2 py-1.5 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800/60">
          <svg
            viewBox="0 0 16 16"
            aria-hidden="true"
            className="h-3 w-3 fill-current text-zinc-400 transition-transform group-open:rotate-90"
          >
            <path d="M5 3l6 5-6 5z" />
          </svg>
          <span className={`inline-flex items-center gap-1 ${TONE_TEXT[tone]}`}>
            <StatusIcon status={step.status} />
            <span className="w-20">{STATUS_LABEL[step.status]}</span>
          </span>
          <span className="font-medium">{step.name}</span>
          {step.exitCode !== null ? (
            <span className="text-xs text-zinc-500">exit code {step.exitCode}</span>
          ) : null}
          {step.reason ? <span className="text-xs text-zinc-500">{step.reason}</span> : null}
          <span className="ml-auto text-xs text-zinc-500">
            <Elapsed
              status={step.status}
              startedAt={step.startedAt}
              finishedAt={step.finishedAt}
              durationMs={
                step.startedAt && step.finishedAt
                  ? Date.parse(step.finishedAt) - Date.parse(step.startedAt)
                  : null
              }
            />
          </span>
        </summary>
        <div className="px-2 pt-1 pb-3">
          {step.log === "none" ? (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              No log to show: the pod is gone and Shiplog keeps the log only of failed steps.
            </p>
          ) : open ? (
            <StepLog run={run} group={group.name} step={step} />
          ) : null}
        </div>
      </details>
    </li>
  );
}

function NotSeen({ run }: { run: RunPath }) {
  return (
    <section className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm dark:border-zinc-700">
      <h2 className="font-semibold">Shiplog has not seen this run</h2>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        No {run.kind === "builds" ? "kpack Build" : "PipelineRun"} {run.namespace}/{run.name} was
        reported by the cluster {run.cluster}. Check the name, or open it from a commit&apos;s
        timeline on{" "}
        <Link href="/" className="underline">
          Releases
        </Link>
        .
      </p>
    </section>
  );
}

export function RunView({ run, initial }: { run: RunPath; initial: RunDetail | null }) {
  const { data, error, isPending } = useQuery({
    queryKey: queryKeys.runs.detail(run.cluster, run.namespace, run.kind, run.name),
    queryFn: ({ signal }) => fetchJson<RunDetail>(runUrl(run), signal),
    initialData: initial ?? undefined,
    // Not seen when the page was rendered: say so (a reload asks again), without a failing fetch.
    enabled: initial !== null,
    // A run linked to no commit gets no live events: poll it while it runs.
    refetchInterval: (query) => {
      const d = query.state.data;
      return d && isInFlight(d.status) && !d.sha ? 3000 : false;
    },
  });
  if (isPending) {
    if (initial === null) return <NotSeen run={run} />;
    return (
      <p className="text-sm text-zinc-500" role="status">
        Loading the run…
      </p>
    );
  }
  if (error) {
    if (error instanceof ApiError && error.status === 404) return <NotSeen run={run} />;
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        Could not load this run ({error.message}). Reload the page to try again.
      </p>
    );
  }
  return (
    <article aria-labelledby="run-title" data-testid="run-detail">
      <header className="mb-6 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={data.status} />
          <span className="text-sm text-zinc-500">
            {data.kind} · {data.cluster} · {data.namespace}
          </span>
          {!data.live ? (
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
              pruned from the cluster; history kept
            </span>
          ) : null}
        </div>
        <h1 id="run-title" className="mt-2 text-xl font-semibold break-all">
          {data.name}
        </h1>
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <span>{data.title}</span>
          <span>
            started <RelativeTime iso={data.startedAt} />
          </span>
          <span>
            took{" "}
            <Elapsed
              status={data.status}
              startedAt={data.startedAt}
              finishedAt={data.finishedAt}
              durationMs={data.durationMs}
            />
          </span>
          {data.app && data.sha ? (
            <Link
              href={`/apps/${encodeURIComponent(data.app)}/commits/${data.sha}`}
              className="text-sky-700 underline dark:text-sky-400"
            >
              {data.app} commit {data.sha.slice(0, 7)}
            </Link>
          ) : null}
        </p>
      </header>
      {data.groups.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No steps reported yet: they appear when the run&apos;s pods start.
        </p>
      ) : (
        <ol className="space-y-4">
          {data.groups.map((group) => (
            <li
              key={group.name}
              data-testid="run-group"
              data-group={group.name}
              data-status={group.status}
              className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <h2 className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <StatusBadge status={group.status} />
                <span className="font-semibold">{group.title}</span>
                <span className="text-xs text-zinc-500 break-all">{group.name}</span>
                <span className="ml-auto text-xs text-zinc-500">
                  <Elapsed
                    status={group.status}
                    startedAt={group.startedAt}
                    finishedAt={group.finishedAt}
                    durationMs={group.durationMs}
                  />
                </span>
              </h2>
              {group.podName ? (
                <p className="mt-1 text-xs text-zinc-500">pod {group.podName}</p>
              ) : null}
              <ul
                className="mt-2 divide-y divide-zinc-100 dark:divide-zinc-800"
                aria-label={`Steps of ${group.title}`}
              >
                {group.steps.map((step) => (
                  <StepRow key={step.name} run={run} group={group} step={step} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
