// Who may decide a gate and what the decisions add up to. Pure: the decision path (decide.ts)
// calls it under the gate's row lock with everything it read.
import { BadInput, Conflict, Forbidden } from "../errors";

/** The person deciding, as the gate policy sees them. */
export type Decider = {
  /** The key of their decision (one per person per gate) and their name in the audit log. */
  actor: string;
  name: string;
  email: string | null;
  groups: string[];
  roles: string[];
};

export type DecisionInput = { decision: "approve" | "reject"; comment: string | null };
export type RecordedDecision = {
  user: string;
  decision: "approve" | "reject";
  comment: string | null;
  at: Date;
};
export type GateStatus = "pending" | "approved" | "rejected" | "expired" | "cancelled";

/** Whether a person may decide a gate now; `reason` says why not, in the server's words. */
export type GateAccess = { canDecide: boolean; reason: string | null };

export type PolicyGate = {
  status: GateStatus;
  approvers: string[];
  minApprovals: number;
  authorMayDecide: boolean;
  expiresAt: Date | null;
};

export type CommitAuthor = { name: string | null; email: string | null };

const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** `alice` names alice@example.com too: approver lists hold usernames, sign-in gives e-mails. */
const localPart = (email: string | null) => (email?.includes("@") ? email.split("@")[0] : null);

/**
 * How the decider is named on the gate: the user entry (name, e-mail, or a bare username equal to
 * the e-mail's local part) or the group entry (`group:NAME` with NAME among their groups) that
 * lets them decide; null when none does.
 */
export function matchApprover(
  approvers: string[],
  decider: Decider,
): { user: string; group?: string } | null {
  const user = approvers.find(
    (a) =>
      !a.startsWith("group:") &&
      (same(a, decider.name) ||
        same(a, decider.email) ||
        (!a.includes("@") && same(a, localPart(decider.email)))),
  );
  if (user) return { user };
  const group = approvers
    .filter((a) => a.startsWith("group:"))
    .map((a) => a.slice("group:".length))
    .find((g) => decider.groups.includes(g));
  if (group) return { user: decider.name, group };
  return null;
}

/** The commit's author, by e-mail or by name / username. */
export function isAuthor(author: CommitAuthor | null, decider: Decider): boolean {
  if (!author) return false;
  return same(author.email, decider.email) || same(author.name, decider.name);
}

/**
 * Throws the reason a decision is refused: 409 when the gate is no longer pending (or expired),
 * 403 when the decider may not decide, 400 for a rejection without a comment.
 */
export function checkDecision(
  gate: PolicyGate,
  decisions: RecordedDecision[],
  decider: Decider,
  input: DecisionInput,
  author: CommitAuthor | null,
  now: Date,
): void {
  if (gate.status !== "pending") throw new Conflict(`this gate is already ${gate.status}`);
  if (gate.expiresAt && gate.expiresAt.getTime() <= now.getTime())
    throw new Conflict(`this gate expired at ${gate.expiresAt.toISOString()}`);
  if (gate.approvers.length > 0) {
    if (!matchApprover(gate.approvers, decider))
      throw new Forbidden(
        `${decider.actor} is not among this gate's approvers (${gate.approvers.join(", ")})`,
      );
  } else if (!decider.roles.includes("approver") && !decider.roles.includes("admin")) {
    throw new Forbidden(`this gate names no approvers, so it needs the approver role`);
  }
  if (input.decision === "approve" && !gate.authorMayDecide && isAuthor(author, decider))
    throw new Forbidden(`${decider.actor} wrote this change and may not approve it`);
  if (input.decision === "reject" && !input.comment?.trim())
    throw new BadInput("a comment is required to reject");
  if (decisions.some((d) => d.user === decider.actor))
    throw new Conflict(`${decider.actor} has already decided this gate`);
}

/** One rejection rejects; minApprovals approvals approve; else the gate waits. */
export function outcomeOf(
  minApprovals: number,
  decisions: RecordedDecision[],
): "approved" | "rejected" | "pending" {
  if (decisions.some((d) => d.decision === "reject")) return "rejected";
  const approvals = new Set(decisions.filter((d) => d.decision === "approve").map((d) => d.user));
  return approvals.size >= minApprovals ? "approved" : "pending";
}
