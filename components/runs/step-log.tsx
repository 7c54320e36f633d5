"use client";
// One step's log, read when it is opened; refreshed every few seconds while the step runs.
import { isInFlight } from "@/lib/timeline/summary";
import { useQuery } from "@tanstack/react-query";
import { ApiError, fetchText } from "@/lib/client/api";
import { runLogUrl, type RunPath, type RunStep } from "@/lib/client/run-detail";
import { queryKeys } from "@/lib/query-keys";

const SOURCE: Record<string, string> = {
  pod: "from the pod",
  stored: "the tail Shiplog kept after the pod was removed",
};

export function StepLog({ run, group, step }: { run: RunPath; group: string; step: RunStep }) {
  const { data, error, isPending } = useQuery({
    queryKey: queryKeys.runs.log(run, group, step.name),
    queryFn: ({ signal }) => fetchText(runLogUrl(run, group, step.name), signal),
    refetchInterval: isInFlight(step.status) ? 3000 : false,
  });
  if (isPending) return <p className="text-xs text-zinc-500">Reading the log…</p>;
  if (error) {
    return (
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {error instanceof ApiError && error.status === 404
          ? "This log is gone: the pod was removed and Shiplog keeps the log only of failed steps."
          : `Could not read the log (${error.message}). Close and open it again to retry.`}
      </p>
    );
  }
  return (
    <div>
      {data.source ? (
        <p className="mb-1 text-xs text-zinc-500">Log {SOURCE[data.source] ?? data.source}</p>
      ) : null}
      <pre
        data-testid="step-log"
        tabIndex={0}
        aria-label={`Log of step ${step.name}`}
        className="max-h-96 overflow-auto rounded bg-zinc-950 p-3 font-mono text-xs leading-5 text-zinc-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
      >
        {data.text || "(empty)"}
      </pre>
    </div>
  );
}
