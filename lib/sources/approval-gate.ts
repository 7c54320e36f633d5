// Approval gates feed the `approval` stage: Shiplog's own `Approval` custom task (a CustomRun Shiplog
// controls) and openshift-pipelines' manual-approval-gate (its CustomRun and its ApprovalTask).
import {
  applyLabels,
  checkObject,
  identity,
  labelAppHints,
  readCondition,
  readShiplogLabels,
  type Meta,
} from "./k8s";
import { approvalTaskEntries, approverList, parseCount } from "./approval-params";
import { MANUAL_APPROVAL_GATE, type CustomTaskRef, type SourceOptions } from "./options";
import { isoTime } from "./refs";
import { ok, type NormalizeResult } from "./result";
import { parentOf, readNamed } from "./tekton-keys";
import type { ApprovalDecision, ApprovalDetails, Observation, Status } from "./types";
import { arr, get, num, rec, str, strArr, type Rec } from "./values";

/** The approval custom task a CustomRun runs, if it is one of the configured ones. */
export function approvalRefOf(obj: Rec, opts: SourceOptions): CustomTaskRef | null {
  const ref = rec(get(obj, "spec", "customRef") ?? get(obj, "spec", "customSpec"));
  return (
    opts.approvalRefs.find((a) => a.apiVersion === ref.apiVersion && a.kind === ref.kind) ?? null
  );
}

/**
 * waiting while undecided (Succeeded=Unknown), succeeded when approved, failed when rejected or
 * expired (reason "timeout"), cancelled with the PipelineRun; pending before any controller
 * has opened the gate (no condition yet).
 */
function customRunApprovalState(obj: Rec): {
  status: Status;
  reason: string | null;
  message: string | null;
  final: boolean;
} {
  const cond = readCondition(obj.status, "Succeeded");
  const base = { reason: cond.reason, message: cond.message };
  const cancelled = ["CustomRunCancelled", "RunCancelled"];
  if (cond.status === "True") return { ...base, status: "succeeded", final: true };
  if (cond.status === "False") {
    if (cond.reason && cancelled.includes(cond.reason))
      return { ...base, status: "cancelled", final: true };
    // Shiplog writes TimedOut; manual-approval-gate writes Failed with "…because of timeout".
    const timedOut =
      cond.reason === "TimedOut" ||
      cond.reason === "CustomRunTimedOut" ||
      /because of timeout/i.test(cond.message ?? "");
    return { ...base, reason: timedOut ? "timeout" : cond.reason, status: "failed", final: true };
  }
  const specStatus = str(get(obj, "spec", "status"));
  if (specStatus && cancelled.includes(specStatus)) {
    return { ...base, reason: specStatus, status: "cancelled", final: false };
  }
  if (cond.status === "Unknown") return { ...base, status: "waiting", final: false };
  return { ...base, status: "pending", final: false };
}

/** Decisions Shiplog's controller mirrors into `status.extraFields.decisions`. */
function extraDecisions(v: unknown): ApprovalDecision[] {
  return arr(v).flatMap((d) => {
    const user = str(get(d, "user"));
    const decision = get(d, "decision");
    if (!user || (decision !== "approve" && decision !== "reject")) return [];
    return [{ user, decision, comment: str(get(d, "comment")), at: isoTime(get(d, "at")) }];
  });
}

/** A gate carries no keys of its own: it is tied to its commit through its PipelineRun. */
function gateKeys(meta: Meta) {
  return {
    revision: null,
    digests: [],
    imageRefs: [],
    manifestsRevisions: [],
    labels: readShiplogLabels(meta),
    parent: parentOf(meta),
    appHints: labelAppHints(meta),
    environment: null,
  };
}

/** A count of approvals as the gate reads it; null when absent or not a whole number ≥ 1. */
function count(v: unknown): number | null {
  const n = parseCount(v);
  return n === "invalid" ? null : n;
}

export function normalizeApprovalCustomRun(
  obj: Rec,
  meta: Meta,
  ref: CustomTaskRef,
): NormalizeResult {
  const state = customRunApprovalState(obj);
  const params = readNamed(get(obj, "spec", "params"));
  const param = (name: string) => params.find((p) => p.name === name)?.value;
  const isGate =
    ref.apiVersion === MANUAL_APPROVAL_GATE.apiVersion && ref.kind === MANUAL_APPROVAL_GATE.kind;
  const extra = rec(get(obj, "status", "extraFields"));
  const details: ApprovalDetails = {
    type: "approval",
    gateId: str(extra.gateId),
    controller: isGate ? "manual-approval-gate" : "shiplog",
    customRun: meta.name,
    minApprovals: count(param(isGate ? "numberOfApprovalsRequired" : "minApprovals")),
    approvalsReceived: null,
    approvers: approverList(param("approvers")),
    decisions: extraDecisions(extra.decisions),
    message: str(param(isGate ? "description" : "message")),
  };
  const o: Observation = {
    ...identity("tekton", "CustomRun", meta),
    repository: null,
    stage: "approval",
    status: state.status,
    reason: state.reason,
    message: state.message,
    startedAt: isoTime(get(obj, "status", "startTime")),
    finishedAt: state.final ? isoTime(get(obj, "status", "completionTime")) : null,
    ...gateKeys(meta),
    details,
  };
  return ok([applyLabels(o)]);
}

function toDecision(response: unknown): "approve" | "reject" | null {
  if (response === "approved" || response === "approve") return "approve";
  if (response === "rejected" || response === "reject") return "reject";
  return null;
}

/** status.approversResponse, users and group members; else the inputs written into spec. */
function approvalTaskDecisions(obj: Rec): ApprovalDecision[] {
  const out: ApprovalDecision[] = [];
  const responses = arr(get(obj, "status", "approversResponse"));
  for (const r of responses) {
    const members = arr(get(r, "groupMembers"));
    for (const who of members.length > 0 ? members : [r]) {
      const user = str(get(who, "name"));
      const decision = toDecision(get(who, "response"));
      if (user && decision)
        out.push({ user, decision, comment: str(get(who, "message")), at: null });
    }
  }
  if (responses.length > 0) return out;
  for (const a of arr(get(obj, "spec", "approvers"))) {
    const users = arr(get(a, "users"));
    for (const who of users.length > 0 ? users : [a]) {
      const user = str(get(who, "name"));
      const decision = toDecision(get(who, "input"));
      if (user && decision)
        out.push({ user, decision, comment: str(get(who, "message")), at: null });
    }
  }
  return out;
}

function approvalTaskApprovers(obj: Rec): string[] {
  const spec = approvalTaskEntries(get(obj, "spec", "approvers"));
  return spec.length > 0 ? spec : strArr(get(obj, "status", "approvers"));
}

const APPROVAL_TASK_STATES: Record<string, Status> = {
  pending: "waiting",
  approved: "succeeded",
  rejected: "failed", // the controller also writes rejected when the gate times out
};

/** status.state: pending → waiting, approved → succeeded, rejected (also on timeout) → failed. */
export function normalizeApprovalTask(raw: unknown): NormalizeResult {
  const c = checkObject(raw, "tekton", "ApprovalTask");
  if (!c.ok) return c.result;
  const { obj, meta } = c;
  const stateField = str(get(obj, "status", "state"));
  // No state yet: the controller has not reconciled the task, no one is asked to decide.
  const status: Status =
    stateField === null ? "pending" : (APPROVAL_TASK_STATES[stateField] ?? "unknown");
  const o: Observation = {
    ...identity("tekton", "ApprovalTask", meta),
    repository: null,
    stage: "approval",
    status,
    reason: stateField,
    message: null,
    startedAt: isoTime(get(obj, "status", "startTime")),
    finishedAt: null, // ApprovalTask records no decision time
    ...gateKeys(meta),
    details: {
      type: "approval",
      gateId: null,
      controller: "manual-approval-gate",
      customRun:
        str(meta.labels["tekton.dev/customRun"]) ??
        str(meta.ownerReferences.find((r) => r.kind === "CustomRun")?.name) ??
        meta.name,
      minApprovals:
        num(get(obj, "status", "approvalsRequired")) ??
        num(get(obj, "spec", "numberOfApprovalsRequired")),
      approvalsReceived: num(get(obj, "status", "approvalsReceived")),
      approvers: approvalTaskApprovers(obj),
      decisions: approvalTaskDecisions(obj),
      message: str(get(obj, "spec", "description")),
    },
  };
  return ok([applyLabels(o)]);
}
