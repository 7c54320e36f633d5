// How an approval gate reads on screen: its status as words and a stage status (for the icon and
// colour), "N of M approvals", what a viewer may still do once newer data arrives, and the
// inbox's tabs. Pure: the caller passes `now`.
import type { GateAccess, GateStatus } from "@/lib/gates/policy";
import type { Gate } from "@/lib/gates/store";
import type { Status } from "@/lib/sources/types";

export type { GateAccess, GateStatus };

export type GateDecision = {
  user: string;
  decision: "approve" | "reject";
  comment: string | null;
  at: string | null;
};

/**
 * What the screen needs of a gate (the API's Gate, plus what the inbox adds); its decisions may
 * also come from a stage, where the cluster may not say when.
 */
export type GateView = Pick<
  Gate,
  | "id"
  | "app"
  | "sha"
  | "environment"
  | "status"
  | "message"
  | "minApprovals"
  | "approvers"
  | "createdAt"
  | "expiresAt"
> & { decisions: GateDecision[]; canDecide?: boolean; reason?: string | null };

/** The icon and colour of each gate status: a waiting gate waits, an expired one failed. */
export const GATE_STATUS_AS_STATUS: Record<GateStatus, Status> = {
  pending: "waiting",
  approved: "succeeded",
  rejected: "failed",
  expired: "failed",
  cancelled: "cancelled",
};

export const GATE_STATUS_LABEL: Record<GateStatus, string> = {
  pending: "waiting for approval",
  approved: "approved",
  rejected: "rejected",
  expired: "expired",
  cancelled: "cancelled",
};

/** An approval stage's status as the gate's (docs/api.md: waiting undecided, failed rejected or expired). */
export function gateStatusOfStage(status: Status, reason: string | null): GateStatus {
  switch (status) {
    case "succeeded":
      return "approved";
    case "failed":
      return reason && /time|expire/i.test(reason) ? "expired" : "rejected";
    case "cancelled":
      return "cancelled";
    default:
      return "pending";
  }
}

/** Distinct approvers who approved, against how many are needed. */
export function approvalProgress(
  minApprovals: number | null,
  decisions: readonly Pick<GateDecision, "user" | "decision">[],
): { approvals: number; needed: number; text: string } {
  const approvals = new Set(decisions.filter((d) => d.decision === "approve").map((d) => d.user))
    .size;
  const needed = Math.max(1, minApprovals ?? 1);
  return {
    approvals,
    needed,
    text: `${approvals} of ${needed} approval${needed === 1 ? "" : "s"}`,
  };
}

/**
 * The server's verdict, narrowed by what changed since: a settled or expired gate, or one this
 * person has decided meanwhile, can no longer be decided (in the server's own words). Newer data
 * never widens a refusal: only the server says who may decide.
 */
export function currentAccess(
  access: GateAccess | null,
  gate: {
    status: GateStatus;
    expiresAt: string | null;
    decisions: readonly Pick<GateDecision, "user">[];
  },
  actor: string | null,
  now: number,
): GateAccess {
  if (gate.status !== "pending")
    return { canDecide: false, reason: `this gate is already ${gate.status}` };
  if (gate.expiresAt && Date.parse(gate.expiresAt) <= now)
    return {
      canDecide: false,
      reason: `this gate expired at ${new Date(gate.expiresAt).toISOString()}`,
    };
  if (actor && gate.decisions.some((d) => d.user === actor))
    return { canDecide: false, reason: `${actor} has already decided this gate` };
  return access ?? { canDecide: false, reason: null };
}

/** The client-side check before a decision is sent; the server checks the same. */
export function decisionProblem(decision: "approve" | "reject", comment: string): string | null {
  if (decision === "reject" && !comment.trim()) return "A comment is required to reject.";
  if (comment.length > 2000) return "A comment may be at most 2000 characters.";
  return null;
}

/** What a decision made here led to, from the gate the server answered with. */
export function decisionOutcome(
  gate: Pick<GateView, "status" | "minApprovals" | "decisions">,
): string {
  if (gate.status === "approved")
    return "Approved. The pipeline resumes once the cluster has the decision.";
  if (gate.status === "rejected") return "Rejected. The pipeline stops at this gate.";
  if (gate.status === "pending")
    return `Your approval is recorded: ${approvalProgress(gate.minApprovals, gate.decisions).text} so far.`;
  return `This gate is now ${GATE_STATUS_LABEL[gate.status]}.`;
}

export type InboxTab = "mine" | "pending" | "decided";

export const INBOX_TABS: { id: InboxTab; label: string }[] = [
  { id: "mine", label: "Pending for me" },
  { id: "pending", label: "All pending" },
  { id: "decided", label: "Decided" },
];

/** The gates a tab lists: "Pending for me" is what this person may decide now. */
export function gatesForTab<T extends GateView>(
  tab: InboxTab,
  pending: T[],
  decided: T[],
  accessOf: (gate: T) => GateAccess,
): T[] {
  if (tab === "decided") return decided;
  if (tab === "pending") return pending;
  return pending.filter((g) => accessOf(g).canDecide);
}

/** "You", when the reason names the person themselves, reads better on their own screen. */
export function reasonText(reason: string, actor: string | null): string {
  const text =
    actor && reason.startsWith(`${actor} `) ? `you ${reason.slice(actor.length + 1)}` : reason;
  const you = text
    .replace(/^you is not among/, "you are not among")
    .replace(/^you has already/, "you have already");
  return `${you.charAt(0).toUpperCase()}${you.slice(1)}.`;
}
