// The JSON merge-patches Shiplog writes as the Approval custom task's controller, to the
// CustomRun's /status (docs/customruns.md "Status Reporting"), and to a pending PipelineRun.
// Pure: the caller passes `now`.
import type { GateStatus, RecordedDecision } from "./policy";

/** metav1.Time: RFC 3339 in whole seconds. */
export const kubeTime = (at: Date) => at.toISOString().replace(/\.\d+Z$/, "Z");

function condition(
  status: "True" | "False" | "Unknown",
  reason: string,
  message: string,
  at: Date,
) {
  return { type: "Succeeded", status, reason, message, lastTransitionTime: kubeTime(at) };
}

const decisionFields = (decisions: RecordedDecision[]) =>
  decisions.map((d) => ({
    user: d.user,
    decision: d.decision,
    ...(d.comment ? { comment: d.comment } : {}),
    at: kubeTime(d.at),
  }));

/** Marks the run as waiting: Succeeded=Unknown AwaitingApproval, with the gate's id. */
export function runningPatch(
  gate: { id: string; approvers: string[]; minApprovals: number },
  startTime: string | null,
  now: Date,
) {
  const who = gate.approvers.length ? gate.approvers.join(", ") : "an approver";
  const count = gate.minApprovals > 1 ? `${gate.minApprovals} approvals from ` : "approval from ";
  return {
    status: {
      conditions: [condition("Unknown", "AwaitingApproval", `Waiting for ${count}${who}`, now)],
      startTime: startTime ?? kubeTime(now),
      extraFields: { gateId: gate.id, decisions: [] },
    },
  };
}

/** Params the gate cannot work with: the run fails at once, saying why. */
export function invalidPatch(problem: string, startTime: string | null, now: Date) {
  return {
    status: {
      conditions: [condition("False", "ApprovalValidationFailed", problem, now)],
      startTime: startTime ?? kubeTime(now),
      completionTime: kubeTime(now),
    },
  };
}

function quote(d: RecordedDecision) {
  return d.comment ? `${d.user} ("${d.comment}")` : d.user;
}

/** The final condition for a decided gate, its message naming who decided and why. */
export function outcomeCondition(
  status: Exclude<GateStatus, "pending">,
  decisions: RecordedDecision[],
  context: { expiresAt: Date | null; cancelMessage: string | null },
  now: Date,
) {
  switch (status) {
    case "approved": {
      const by = decisions.filter((d) => d.decision === "approve").map(quote);
      return condition("True", "Approved", `Approved by ${by.join(", ")}`, now);
    }
    case "rejected": {
      const by = decisions.filter((d) => d.decision === "reject").map(quote);
      return condition("False", "Rejected", `Rejected by ${by.join(", ")}`, now);
    }
    case "expired":
      return condition(
        "False",
        "TimedOut",
        `No decision before the gate expired${
          context.expiresAt ? ` at ${kubeTime(context.expiresAt)}` : ""
        }`,
        now,
      );
    case "cancelled":
      // Tekton's custom-task convention for a cancelled run (customrun_types.go).
      return condition(
        "False",
        "CustomRunCancelled",
        context.cancelMessage ?? "CustomRun cancelled",
        now,
      );
  }
}

export function outcomePatch(
  gateId: string,
  status: Exclude<GateStatus, "pending">,
  decisions: RecordedDecision[],
  context: { expiresAt: Date | null; cancelMessage: string | null; startTime: string | null },
  now: Date,
) {
  return {
    status: {
      conditions: [outcomeCondition(status, decisions, context, now)],
      startTime: context.startTime ?? kubeTime(now),
      completionTime: kubeTime(now),
      extraFields: { gateId, decisions: decisionFields(decisions) },
    },
  };
}

/**
 * A pending PipelineRun: approving starts it (removes spec.status: merge-patch null), rejecting
 * cancels it before it ran (spec.status Cancelled).
 */
export function pipelineRunPatch(status: Exclude<GateStatus, "pending">) {
  return { spec: { status: status === "approved" ? null : "Cancelled" } };
}
