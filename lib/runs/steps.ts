// The steps of one pod-backed run, read from the stored object: a Tekton TaskRun's status.steps[]
// (step-<name> containers) or a kpack Build's stepStates/stepsCompleted (one lifecycle phase per
// container). Pure; shared by the run detail and the step-log keeper, so "failed" means one thing.
import { isFinished, type Status } from "@/lib/sources/types";
import { isoTime } from "@/lib/sources/refs";
import { arr, get, isRecord, num, str, strArr, type Rec } from "@/lib/sources/values";

export interface StepState {
  name: string;
  container: string;
  status: Status;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  reason: string | null;
  /** The container has run (or runs), so it may have a log. */
  started: boolean;
}

type ContainerState = { kind: "waiting" | "running" | "terminated" | "none"; body: Rec };

function containerState(state: unknown): ContainerState {
  for (const kind of ["terminated", "running", "waiting"] as const) {
    const body = get(state, kind);
    if (isRecord(body)) return { kind, body };
  }
  return { kind: "none", body: {} };
}

/**
 * One container's state as a step: terminated 0 → succeeded; a non-zero exit is the failure unless
 * an earlier step already failed (Tekton skips the rest: terminationReason Skipped) or the run was
 * cancelled; never started → pending while the run goes on, skipped once it is over.
 */
function stepFrom(
  name: string,
  container: string,
  state: unknown,
  terminationReason: string | null,
  run: { status: Status; failedBefore: boolean },
): StepState {
  const { kind, body } = containerState(state);
  const base = { name, container, startedAt: null, finishedAt: null, exitCode: null };
  if (kind === "terminated") {
    const exitCode = num(body.exitCode);
    const reason = terminationReason ?? str(body.reason);
    const times = {
      startedAt: isoTime(body.startedAt),
      finishedAt: isoTime(body.finishedAt),
    };
    let status: Status;
    if (exitCode === 0) status = "succeeded";
    else if (terminationReason === "Skipped" || run.failedBefore) status = "skipped";
    else if (terminationReason === "TaskRunCancelled" || run.status === "cancelled")
      status = "cancelled";
    else status = "failed";
    return { ...base, ...times, exitCode, reason, status, started: status !== "skipped" };
  }
  if (kind === "running") {
    const status: Status = isFinished(run.status) ? run.status : "running";
    return {
      ...base,
      startedAt: isoTime(body.startedAt),
      reason: null,
      status,
      started: true,
    };
  }
  if (kind === "waiting") {
    const status: Status = isFinished(run.status) ? "skipped" : "pending";
    return { ...base, reason: str(body.reason), status, started: false };
  }
  // No state kept (trimmed objects, a pod not reported yet): a succeeded run ran every step.
  if (run.status === "succeeded")
    return { ...base, reason: null, status: "succeeded", started: true };
  const status: Status = isFinished(run.status) ? "unknown" : "pending";
  return { ...base, reason: null, status, started: false };
}

/** Marks the steps after the first failure as skipped, as Tekton and kpack never run them. */
function inOrder(
  entries: { name: string; container: string; state: unknown; terminationReason: string | null }[],
  runStatus: Status,
): StepState[] {
  const out: StepState[] = [];
  let failedBefore = false;
  for (const e of entries) {
    const step = stepFrom(e.name, e.container, e.state, e.terminationReason, {
      status: runStatus,
      failedBefore,
    });
    // A step with onError: continue failed, yet the next ones ran (terminationReason Continued).
    if (step.status === "failed" && e.terminationReason !== "Continued") failedBefore = true;
    out.push(step);
  }
  return out;
}

/**
 * A TaskRun's steps: status.steps[] (name, container, state, terminationReason), or the Task's
 * steps (status.taskSpec.steps) with no state yet before the pod reports.
 */
export function tektonSteps(taskRun: unknown, runStatus: Status): StepState[] {
  const reported = arr(get(taskRun, "status", "steps")).filter(isRecord);
  if (reported.length > 0) {
    return inOrder(
      reported.map((s, i) => {
        const name = str(s.name) ?? `unnamed-${i}`;
        return {
          name,
          container: str(s.container) ?? `step-${name}`,
          state: s,
          terminationReason: str(s.terminationReason),
        };
      }),
      runStatus,
    );
  }
  const declared = arr(get(taskRun, "status", "taskSpec", "steps")).filter(isRecord);
  return inOrder(
    declared.map((s, i) => {
      const name = str(s.name) ?? `unnamed-${i}`;
      return { name, container: `step-${name}`, state: null, terminationReason: null };
    }),
    runStatus,
  );
}

// kpack's lifecycle phases in the two orders lifecycle has used (platform API 0.7 put analyze
// before detect), then the completion container; a rebase build runs `rebase` alone.
const PHASES_ANALYZE_FIRST = ["prepare", "analyze", "detect", "restore", "build", "export"];
const PHASES_DETECT_FIRST = ["prepare", "detect", "analyze", "restore", "build", "export"];
const REBASE = ["rebase"];
const BUILD_STEP_CONTAINERS = new Set([...PHASES_ANALYZE_FIRST, "extend", "completion", "rebase"]);

/** A container of a pod, init containers first, with its state (pod status). */
export interface PodContainer {
  name: string;
  state: unknown;
}

/** kpack (recent versions) writes "Container <name> terminated …" / "… waiting" into each state. */
function nameInMessage(state: unknown): string | null {
  const message = str(get(containerState(state).body, "message"));
  return message?.match(/^Container (\S+) (?:terminated|waiting)/)?.[1] ?? null;
}

function phaseOrder(completed: string[], known: string[]): string[] {
  const names = [...completed, ...known];
  if (names.includes("rebase")) return REBASE;
  const analyze = names.indexOf("analyze");
  const detect = names.indexOf("detect");
  if (analyze >= 0 && detect >= 0 && detect < analyze) return PHASES_DETECT_FIRST;
  return PHASES_ANALYZE_FIRST;
}

/**
 * A Build's steps. status.stepStates holds one container state per build-step container in pod
 * order but no names: names come from the state's message, from stepsCompleted (the succeeded
 * ones, a prefix), from `knownContainers` (containers whose log was kept, named from the pod),
 * and otherwise from the lifecycle's phase order. Phases not reported yet follow: the next one
 * runs while the Build runs (steps are sequential), the rest wait, or never ran once it is over.
 */
export function kpackSteps(
  build: unknown,
  runStatus: Status,
  knownContainers: string[] = [],
  pod?: PodContainer[],
): StepState[] {
  // The pod's own container statuses, when read, name every phase exactly (as kpack reads them).
  const fromPod = pod?.filter((c) => BUILD_STEP_CONTAINERS.has(c.name)) ?? [];
  if (fromPod.length > 0) {
    return inOrder(
      fromPod.map((c) => ({
        name: c.name,
        container: c.name,
        state: c.state,
        terminationReason: null,
      })),
      runStatus,
    );
  }
  const states = arr(get(build, "status", "stepStates"));
  const completed = strArr(get(build, "status", "stepsCompleted"));
  const order = phaseOrder(completed, knownContainers);
  const names: string[] = [];
  states.forEach((state, i) => {
    const { kind, body } = containerState(state);
    const succeeded = kind === "terminated" && num(body.exitCode) === 0;
    const named = nameInMessage(state) ?? (succeeded ? completed[names.length] : undefined);
    if (named) return names.push(named);
    // A failed or running phase: a kept log names it, else the phase after the last named one.
    const next = order.slice(order.indexOf(names[i - 1] ?? "") + 1);
    const kept = knownContainers.find((c) => !names.includes(c) && !completed.includes(c));
    names.push(!succeeded && kept ? kept : (next.find((n) => !names.includes(n)) ?? `step-${i}`));
  });
  const entries = states.map((state, i) => ({
    name: names[i],
    container: names[i],
    state,
    terminationReason: null,
  }));
  const steps = inOrder(entries, runStatus);
  if (runStatus === "succeeded" || steps.some((s) => s.status === "failed")) {
    return runStatus === "succeeded" ? steps : withRest(steps, order, runStatus, false);
  }
  const podStarted = str(get(build, "status", "podName")) !== null && states.length > 0;
  return withRest(steps, order, runStatus, runStatus === "running" && podStarted);
}

/** The phases after the reported ones (completion included): running/pending, or skipped. */
function withRest(
  steps: StepState[],
  order: string[],
  runStatus: Status,
  nextRuns: boolean,
): StepState[] {
  const seen = new Set(steps.map((s) => s.name));
  const last = order.indexOf(steps.at(-1)?.name ?? "");
  const rest = [...order.slice(last + 1), "completion"].filter((n) => !seen.has(n));
  const allSucceeded = steps.every((s) => s.status === "succeeded");
  return [
    ...steps,
    ...rest.map((name, i): StepState => {
      const running = nextRuns && allSucceeded && i === 0;
      const status: Status = isFinished(runStatus) ? "skipped" : running ? "running" : "pending";
      return {
        name,
        container: name,
        status,
        startedAt: null,
        finishedAt: null,
        exitCode: null,
        reason: null,
        started: running,
      };
    }),
  ];
}

/** The steps whose log is worth keeping: those that failed. */
export function failedSteps(steps: StepState[]): StepState[] {
  return steps.filter((s) => s.status === "failed");
}
