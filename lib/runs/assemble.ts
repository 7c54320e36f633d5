// One run's detail from its stored rows: a PipelineRun with a group per TaskRun, or a kpack Build
// with its pod as the one group; each step says where its log can be read now. Pure: `now`
// measures what still runs, `podLogs` says whether this process can reach the run's cluster.
import { STATUSES, type Status } from "@/lib/sources/types";
import { get, str } from "@/lib/sources/values";
import { isInFlight } from "@/lib/timeline/summary";
import { kpackSteps, tektonSteps, type PodContainer, type StepState } from "./steps";
import type { LogSource, RunDetail, RunGroup, RunInput, RunRow, RunStep } from "./types";

export interface AssembleOptions {
  now: Date;
  /** The run's cluster is one of this process's kubeconfig contexts: pods/log can be asked. */
  podLogs: boolean;
  /** The container statuses of a live Build's pod, when they were read. */
  buildPod?: PodContainer[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toStatus(value: string): Status {
  return (STATUSES as readonly string[]).includes(value) ? (value as Status) : "unknown";
}

/** finished − started, or now − started while it is in flight. */
function durationMs(
  status: Status,
  startedAt: string | null,
  finishedAt: string | null,
  now: Date,
): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  if (finishedAt) return Math.max(0, Date.parse(finishedAt) - start);
  if (isInFlight(status)) return Math.max(0, now.getTime() - start);
  return null;
}

function timing(row: RunRow, now: Date) {
  const status = toStatus(row.status);
  const startedAt = iso(row.startedAt);
  const finishedAt = iso(row.finishedAt);
  return {
    status,
    startedAt,
    finishedAt,
    durationMs: durationMs(status, startedAt, finishedAt, now),
  };
}

function label(row: RunRow, name: string): string | null {
  return str(get(row.object, "metadata", "labels", name));
}

function runTitle(run: RunRow): string {
  if (run.kind === "PipelineRun") {
    return (
      str(get(run.observation, "details", "pipeline")) ??
      label(run, "tekton.dev/pipeline") ??
      run.name
    );
  }
  const owner = (get(run.object, "metadata", "ownerReferences") as unknown[] | undefined)?.find(
    (o) => str(get(o, "kind")) === "Image",
  );
  return label(run, "image.kpack.io/image") ?? str(get(owner, "name")) ?? run.name;
}

function group(
  row: RunRow,
  title: string,
  steps: StepState[],
  input: RunInput,
  options: AssembleOptions & { live: boolean },
): RunGroup {
  const podName = str(get(row.object, "status", "podName"));
  const stored = new Set(input.storedLogs.filter((l) => l.pod === podName).map((l) => l.container));
  const logOf = (step: StepState): LogSource => {
    if (step.started && podName && options.live && options.podLogs) return "pod";
    if (stored.has(step.container)) return "stored";
    return "none";
  };
  return {
    name: row.name,
    title,
    ...timing(row, options.now),
    podName,
    steps: steps.map((s): RunStep => ({
      name: s.name,
      container: s.container,
      status: s.status,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      exitCode: s.exitCode,
      reason: s.reason,
      log: logOf(s),
    })),
  };
}

/** TaskRuns in start order; those not started yet last, by name. */
function byStart(a: RunRow, b: RunRow): number {
  const at = a.startedAt?.getTime() ?? Infinity;
  const bt = b.startedAt?.getTime() ?? Infinity;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.name.localeCompare(b.name);
}

export function assembleRunDetail(input: RunInput, options: AssembleOptions): RunDetail {
  const { run } = input;
  const live = run.deletedAt === null;
  const tekton = run.kind === "PipelineRun";
  let groups: RunGroup[];
  if (tekton) {
    groups = input.children
      .filter((child) => child.kind === "TaskRun")
      .sort(byStart)
      .map((child) =>
        group(
          child,
          label(child, "tekton.dev/pipelineTask") ??
            str(get(child.observation, "details", "pipelineTask")) ??
            child.name,
          tektonSteps(child.object, toStatus(child.status)),
          input,
          { ...options, live: live && child.deletedAt === null },
        ),
      );
  } else {
    const podName = str(get(run.object, "status", "podName"));
    const kept = input.storedLogs.filter((l) => l.pod === podName).map((l) => l.container);
    const steps = kpackSteps(run.object, toStatus(run.status), kept, live ? options.buildPod : []);
    groups = [group(run, "build", steps, input, { ...options, live })];
  }
  return {
    system: tekton ? "tekton" : "kpack",
    kind: tekton ? "PipelineRun" : "Build",
    cluster: run.cluster,
    namespace: run.namespace,
    name: run.name,
    uid: run.uid,
    app: input.commit?.app ?? null,
    sha: input.commit?.sha ?? null,
    title: runTitle(run),
    ...timing(run, options.now),
    live,
    groups,
  };
}

/** The group and step a log request names, or null. */
export function findStep(
  detail: RunDetail,
  groupName: string,
  stepName: string,
): { group: RunGroup; step: RunStep } | null {
  const g = detail.groups.find((x) => x.name === groupName);
  const step = g?.steps.find((s) => s.name === stepName);
  return g && step ? { group: g, step } : null;
}
