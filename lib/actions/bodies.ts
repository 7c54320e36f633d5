// What an operator's action writes, the way each system's own tools write it: a Tekton re-run
// (the Dashboard's new PipelineRun from the old spec), a kpack rebuild (`kp image trigger`'s
// annotation on the newest Build), an Argo CD sync (`operation`) or hard refresh. A re-run of a
// run that had to wait for a gate to start waits again. Pure.
import { Conflict } from "../errors";
import { START_GATE_ANNOTATIONS } from "../gates/spec";

type Meta = {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** A string on the wire; client-node's types say Date. */
  creationTimestamp?: string | Date;
  resourceVersion?: string;
};
type Obj = {
  apiVersion?: string;
  metadata?: Meta;
  spec?: unknown;
  status?: unknown;
  operation?: unknown;
};

export const RERUN_OF = "shiplog.dev/rerun-of";
export const ADDITIONAL_BUILD = "image.kpack.io/additionalBuildNeeded";
export const ARGO_REFRESH = "argocd.argoproj.io/refresh";

/** `<root>-r-`: a re-run of a re-run keeps the first run's name as its root (as the Dashboard does). */
export function rerunPrefix(name: string): string {
  const parts = name.split("-");
  const root =
    parts.length > 2 && parts[parts.length - 2] === "r" ? parts.slice(0, -2).join("-") : name;
  return `${root}-r-`;
}

const DROPPED_ANNOTATIONS = [
  "tekton.dev/v1beta1TaskRuns",
  "kubectl.kubernetes.io/last-applied-configuration",
];

export const PENDING = "PipelineRunPending";

/**
 * Whether a re-run of `original` must be held PipelineRunPending: the original waits to start
 * (PipelineRunPending), or once had a start gate (`startGate`: its gate's status, whatever it is —
 * approved, rejected or pending), or names who may start it (the shiplog.dev/ approval
 * annotations). A decision about the original never carries over to its re-run.
 */
export function mustHoldRerun(original: Obj, startGate: string | null): boolean {
  const spec = (original.spec ?? {}) as { status?: unknown };
  if (spec.status === PENDING || startGate !== null) return true;
  const annotations = original.metadata?.annotations ?? {};
  return Object.values(START_GATE_ANNOTATIONS).some((key) => key in annotations);
}

/**
 * A new PipelineRun from an old one: the whole spec without spec.status, the labels without
 * Tekton's own (tekton.dev/*) plus shiplog.dev/rerun-of, generateName `<root>-r-`, no status.
 * `held`: created PipelineRunPending, keeping the approval annotations, so that it opens a new
 * gate and starts only when that gate is approved.
 */
export function rerunPipelineRun(original: Obj, options: { held?: boolean } = {}) {
  const meta = original.metadata ?? {};
  const name = meta.name ?? "";
  const labels = Object.fromEntries(
    Object.entries(meta.labels ?? {}).filter(([key]) => !key.startsWith("tekton.dev/")),
  );
  const annotations = Object.fromEntries(
    Object.entries(meta.annotations ?? {}).filter(([key]) => !DROPPED_ANNOTATIONS.includes(key)),
  );
  const spec = structuredClone((original.spec ?? {}) as Record<string, unknown>);
  delete spec.status;
  delete spec.statusMessage;
  return {
    apiVersion: original.apiVersion ?? "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: {
      generateName: rerunPrefix(name),
      namespace: meta.namespace,
      labels: { ...labels, [RERUN_OF]: name },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: options.held ? { ...spec, status: PENDING } : spec,
  };
}

/** The newest of an Image's Builds, by creation time, then build number (kp's order). */
export function newestBuild<T extends Obj>(builds: T[]): T | null {
  const created = (b: Obj) => {
    const at = b.metadata?.creationTimestamp;
    return at instanceof Date ? at.toISOString() : (at ?? "");
  };
  const number = (b: Obj) => Number(b.metadata?.labels?.["image.kpack.io/buildNumber"] ?? 0);
  const sorted = [...builds].sort(
    (a, b) => created(a).localeCompare(created(b)) || number(a) - number(b),
  );
  return sorted.at(-1) ?? null;
}

/** The kpack controller only checks that the annotation is there; kp writes the time. */
export function rebuildPatch(now: Date) {
  return { metadata: { annotations: { [ADDITIONAL_BUILD]: now.toISOString() } } };
}

/** Argo CD's own check (util/argo SetAppOperation): one operation at a time. */
export function assertNoOperation(app: Obj): void {
  const phase = (app.status as { operationState?: { phase?: string } } | undefined)?.operationState
    ?.phase;
  if (app.operation || phase === "Running" || phase === "Terminating")
    throw new Conflict("another operation is already in progress");
}

/**
 * The sync operation, pinned to the Application's resourceVersion so that an operation set
 * between our read and our write makes the write fail (409) instead of replacing it.
 */
export function syncPatch(app: Obj, username: string) {
  assertNoOperation(app);
  const resourceVersion = app.metadata?.resourceVersion;
  return {
    metadata: resourceVersion ? { resourceVersion } : {},
    operation: {
      initiatedBy: { username },
      sync: { prune: false, syncStrategy: { hook: {} } },
    },
  };
}

export function hardRefreshPatch() {
  return { metadata: { annotations: { [ARGO_REFRESH]: "hard" } } };
}
