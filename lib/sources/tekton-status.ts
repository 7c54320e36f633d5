// The API's reading (docs/api.md) of a Tekton run's Succeeded condition (PipelineRun, TaskRun, CustomRun), and the
// per-task summary a PipelineRun can give without its TaskRuns.
import { readCondition, type Condition } from "./k8s";
import { isoTime } from "./refs";
import type { Status, TaskSummary } from "./types";
import { arr, get, isRecord, rec, str } from "./values";

// Reasons and spec.status values that mean the run was (or is being) cancelled or stopped.
const CANCELLED = new Set([
  "Cancelled",
  "PipelineRunCancelled",
  "CancelledRunFinally",
  "CancelledRunningFinally",
  "StoppedRunFinally",
  "StoppedRunningFinally",
  "PipelineRunStopping",
  "TaskRunCancelled",
  "CustomRunCancelled",
  "RunCancelled",
]);
const TIMED_OUT = new Set([
  "PipelineRunTimeout",
  "TaskRunTimeout",
  "CustomRunTimedOut",
  "TimedOut",
]);
// Unknown reasons that mean nothing runs yet: held by spec.status, a pod not scheduled, a ref
// still being resolved.
const NOT_STARTED = new Set([
  "PipelineRunPending",
  "Pending",
  "ResolvingPipelineRef",
  "ResolvingTaskRef",
]);

export interface RunState {
  status: Status;
  reason: string | null;
  message: string | null;
  final: boolean;
}

/**
 * True → succeeded (Succeeded or Completed); False → failed, cancelled for a cancel reason, failed
 * with reason "timeout" for a timeout; Unknown → running, pending while held or not started,
 * cancelled while a cancel is in progress. No condition: pending, or running once started.
 */
export function runState(specStatus: string | null, cond: Condition, started: boolean): RunState {
  const base = { reason: cond.reason, message: cond.message };
  if (cond.status === "True") return { ...base, status: "succeeded", final: true };
  if (cond.status === "False") {
    if (cond.reason && CANCELLED.has(cond.reason))
      return { ...base, status: "cancelled", final: true };
    if (cond.reason && TIMED_OUT.has(cond.reason))
      return { ...base, reason: "timeout", status: "failed", final: true };
    return { ...base, status: "failed", final: true };
  }
  const cancelling =
    (specStatus !== null && CANCELLED.has(specStatus)) ||
    (cond.reason !== null && CANCELLED.has(cond.reason));
  if (cancelling)
    return { ...base, reason: cond.reason ?? specStatus, status: "cancelled", final: false };
  if (cond.status === "Unknown") {
    const held =
      specStatus === "PipelineRunPending" || (cond.reason !== null && NOT_STARTED.has(cond.reason));
    return { ...base, status: held ? "pending" : "running", final: false };
  }
  if (specStatus === "PipelineRunPending") {
    return { ...base, reason: "PipelineRunPending", status: "pending", final: false };
  }
  return { ...base, status: started ? "running" : "pending", final: false };
}

/** A run's state straight from the object: spec.status, the condition, status.startTime. */
export function readRunState(obj: unknown): RunState {
  const status = get(obj, "status");
  return runState(
    str(get(obj, "spec", "status")),
    readCondition(status, "Succeeded"),
    str(get(status, "startTime")) !== null,
  );
}

function specTaskNames(obj: unknown): string[] {
  const spec = rec(get(obj, "status", "pipelineSpec") ?? get(obj, "spec", "pipelineSpec"));
  return [...arr(spec.tasks), ...arr(spec.finally)]
    .map((t) => str(get(t, "name")))
    .filter((n): n is string => n !== null);
}

/**
 * Tasks of a PipelineRun, in the Pipeline's order when the spec is known. v1 only references its
 * children (status "unknown" here; the TaskRun observations carry the truth); v1beta1 objects may
 * still embed `status.taskRuns` / `status.runs`; `skippedTasks` are "skipped".
 */
export function taskSummaries(obj: unknown, runFinal: boolean): TaskSummary[] {
  const byName = new Map<string, TaskSummary>();
  for (const ref of arr(get(obj, "status", "childReferences"))) {
    const name = str(get(ref, "pipelineTaskName")) ?? str(get(ref, "name"));
    if (!name) continue;
    byName.set(name, {
      name,
      status: "unknown",
      startedAt: null,
      finishedAt: null,
      kind: str(get(ref, "kind")),
      runName: str(get(ref, "name")),
    });
  }
  for (const [field, kind] of [
    ["taskRuns", "TaskRun"],
    ["runs", "CustomRun"],
  ] as const) {
    for (const [runName, embedded] of Object.entries(rec(get(obj, "status", field)))) {
      if (!isRecord(embedded)) continue;
      const name = str(embedded.pipelineTaskName) ?? runName;
      const state = readRunState({ status: embedded.status });
      byName.set(name, {
        name,
        status: state.status,
        startedAt: isoTime(get(embedded, "status", "startTime")),
        finishedAt: state.final ? isoTime(get(embedded, "status", "completionTime")) : null,
        kind,
        runName,
      });
    }
  }
  for (const skipped of arr(get(obj, "status", "skippedTasks"))) {
    const name = str(get(skipped, "name"));
    if (name) {
      byName.set(name, {
        name,
        status: "skipped",
        startedAt: null,
        finishedAt: null,
        kind: null,
        runName: null,
      });
    }
  }
  const order = specTaskNames(obj);
  for (const name of order) {
    if (!byName.has(name)) {
      // Not started: still to come while the run goes on, never run once it is over.
      const status: Status = runFinal ? "skipped" : "pending";
      byName.set(name, {
        name,
        status,
        startedAt: null,
        finishedAt: null,
        kind: null,
        runName: null,
      });
    }
  }
  const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
  return [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
}
