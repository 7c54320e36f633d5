// What a gate is, read from the object that asks for it: Shiplog's `Approval` CustomRun (params
// approvers, minApprovals, message, allowAuthorApproval; spec.timeout; spec.status RunCancelled) or
// a PipelineRun held as PipelineRunPending. Pure: no clock, no I/O.
import { readCondition } from "../sources/k8s";
import { readNamed } from "../sources/tekton-keys";
import { get, isRecord, rec, str, type Rec } from "../sources/values";
import { approvalTaskEntries, parseCount, readApprovalPolicy } from "../sources/approval-params";

export { approverList } from "../sources/approval-params";

export const APPROVAL_REF = { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" } as const;

export type GateKind = "Approval" | "PipelineRun" | "ApprovalTask";

export type GateSpec = {
  kind: GateKind;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  environment: string | null;
  approvers: string[];
  minApprovals: number;
  message: string | null;
  authorMayDecide: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  /** The PipelineRun the gate holds (its parent, or itself for a pending PipelineRun). */
  pipelineRun: string | null;
};

/** Where the object sits in Shiplog's view: its gate (when valid), what the cluster already says. */
export type GateRead = {
  spec: GateSpec | null;
  /** Why the params cannot open a gate (the run is failed with it). */
  invalid: string | null;
  /** Succeeded condition: null when no controller has written one yet. */
  condition: { status: "True" | "False" | "Unknown"; reason: string | null } | null;
  /** spec.status RunCancelled (Tekton's custom-task cancel), with its statusMessage. */
  cancelled: string | null;
};

export type Scope = { cluster: string; environment: string | null };

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go/metav1.Duration ("1h0m0s", "90m", "10s"); null when absent or malformed. 0 means none. */
export function parseDuration(value: unknown): number | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = value.trim();
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * GO_UNIT_MS[m[2]];
    at = re.lastIndex;
  }
  return at === text.length && at > 0 ? Math.round(total) : null;
}

function label(obj: Rec, name: string): string | null {
  return str(get(obj, "metadata", "labels", name));
}

function annotation(obj: Rec, name: string): string | null {
  return str(get(obj, "metadata", "annotations", name));
}

export function isShiplogApproval(obj: unknown): boolean {
  const ref = rec(get(obj, "spec", "customRef"));
  return ref.apiVersion === APPROVAL_REF.apiVersion && ref.kind === APPROVAL_REF.kind;
}

function conditionOf(obj: Rec): GateRead["condition"] {
  const c = readCondition(obj.status, "Succeeded");
  return c.status ? { status: c.status, reason: c.reason } : null;
}

/** Shiplog's Approval CustomRun as a gate; null when the object is some other custom task. */
export function readApprovalCustomRun(raw: unknown, scope: Scope): GateRead | null {
  if (!isRecord(raw) || !isShiplogApproval(raw)) return null;
  const meta = rec(raw.metadata);
  const name = str(meta.name);
  const uid = str(meta.uid);
  const namespace = str(meta.namespace);
  if (!name || !uid || !namespace) return null;
  const params = readNamed(get(raw, "spec", "params"));
  const param = (n: string) => params.find((p) => p.name === n)?.value;
  const specStatus = str(get(raw, "spec", "status"));
  const cancelled =
    specStatus === "RunCancelled"
      ? (str(get(raw, "spec", "statusMessage")) ?? "CustomRun cancelled")
      : null;
  const condition = conditionOf(raw);
  const policy = readApprovalPolicy({
    approvers: param("approvers"),
    minApprovals: param("minApprovals"),
    message: param("message"),
    allowAuthor: param("allowAuthorApproval"),
  });
  const timeoutRaw = get(raw, "spec", "timeout");
  const timeoutMs = parseDuration(timeoutRaw);
  const badTimeout =
    timeoutRaw !== undefined && timeoutRaw !== null && timeoutMs === null
      ? `spec.timeout is not a duration (got ${JSON.stringify(timeoutRaw)})`
      : null;
  const invalid = typeof policy === "string" ? policy : badTimeout;
  if (invalid || typeof policy === "string") return { spec: null, invalid, condition, cancelled };
  const started =
    str(get(raw, "status", "startTime")) ??
    str(meta.creationTimestamp) ??
    new Date(0).toISOString();
  const createdAt = new Date(started);
  return {
    spec: {
      kind: "Approval",
      cluster: scope.cluster,
      namespace,
      name,
      uid,
      environment: label(raw, "shiplog.dev/environment") ?? scope.environment,
      ...policy,
      createdAt,
      expiresAt: timeoutMs ? new Date(createdAt.getTime() + timeoutMs) : null,
      pipelineRun: label(raw, "tekton.dev/pipelineRun"),
    },
    invalid: null,
    condition,
    cancelled,
  };
}

/** The annotations that say who may start a PipelineRun held as PipelineRunPending. */
export const START_GATE_ANNOTATIONS = {
  approvers: "shiplog.dev/approvers",
  minApprovals: "shiplog.dev/min-approvals",
  message: "shiplog.dev/approval-message",
  allowAuthor: "shiplog.dev/allow-author-approval",
} as const;

/**
 * A PipelineRun created with spec.status PipelineRunPending waits for someone to start it: a gate
 * "waiting to start". Who may start it: annotations shiplog.dev/approvers, shiplog.dev/min-approvals,
 * shiplog.dev/approval-message, shiplog.dev/allow-author-approval (default: the approver role).
 */
export function readPendingPipelineRun(
  raw: unknown,
  scope: Scope,
): { spec: GateSpec | null; invalid: string | null; pending: boolean } | null {
  if (!isRecord(raw)) return null;
  const meta = rec(raw.metadata);
  const name = str(meta.name);
  const uid = str(meta.uid);
  const namespace = str(meta.namespace);
  if (!name || !uid || !namespace) return null;
  const pending = str(get(raw, "spec", "status")) === "PipelineRunPending";
  const policy = readApprovalPolicy({
    approvers: annotation(raw, START_GATE_ANNOTATIONS.approvers),
    minApprovals: annotation(raw, START_GATE_ANNOTATIONS.minApprovals),
    message: annotation(raw, START_GATE_ANNOTATIONS.message),
    allowAuthor: annotation(raw, START_GATE_ANNOTATIONS.allowAuthor),
  });
  if (typeof policy === "string") return { spec: null, invalid: policy, pending };
  return {
    spec: {
      kind: "PipelineRun",
      cluster: scope.cluster,
      namespace,
      name,
      uid,
      environment: label(raw, "shiplog.dev/environment") ?? scope.environment,
      ...policy,
      message: policy.message ?? `Start PipelineRun ${name}`,
      createdAt: new Date(str(meta.creationTimestamp) ?? new Date(0).toISOString()),
      expiresAt: null,
      pipelineRun: name,
    },
    invalid: null,
    pending,
  };
}

/**
 * openshift-pipelines' ApprovalTask (manual-approval-gate): approvers from spec.approvers (a Group
 * entry as group:NAME), numberOfApprovalsRequired, description; its controller decides status.state.
 */
export function readApprovalTask(
  raw: unknown,
  scope: Scope,
): { spec: GateSpec; state: "pending" | "approved" | "rejected" | null } | null {
  if (!isRecord(raw)) return null;
  const meta = rec(raw.metadata);
  const name = str(meta.name);
  const uid = str(meta.uid);
  const namespace = str(meta.namespace);
  if (!name || !uid || !namespace) return null;
  const approvers = approvalTaskEntries(get(raw, "spec", "approvers"));
  const required = parseCount(
    get(raw, "spec", "numberOfApprovalsRequired") ?? get(raw, "status", "approvalsRequired"),
  );
  const state = str(get(raw, "status", "state"));
  const started =
    str(get(raw, "status", "startTime")) ??
    str(meta.creationTimestamp) ??
    new Date(0).toISOString();
  return {
    spec: {
      kind: "ApprovalTask",
      cluster: scope.cluster,
      namespace,
      name,
      uid,
      environment: label(raw, "shiplog.dev/environment") ?? scope.environment,
      approvers,
      minApprovals: typeof required === "number" ? required : 1,
      message: str(get(raw, "spec", "description")),
      authorMayDecide: false,
      createdAt: new Date(started),
      expiresAt: null,
      pipelineRun: label(raw, "tekton.dev/pipelineRun"),
    },
    state: state === "pending" || state === "approved" || state === "rejected" ? state : null,
  };
}
