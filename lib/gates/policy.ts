// Who may decide a gate and what the decisions add up to. Pure: the decision path (decide.ts)
// calls it under the gate's row lock with everything it read.
import { BadInput, Conflict, Forbidden } from "../errors";

/**
 * The person deciding, as the gate policy sees them: only stable, verified identifiers. A display
 * name is not among them (people edit their own), so it never names an approver.
 */
export type Decider = {
  kind: "user" | "token";
  /**
   * The key of their decisions, one per person per gate: `user:<id>` of the signed-in person; a
   * token's decisions count as the person who made it (`user:<id>`), or as `cli:<maker>` for a
   * token made on the command line.
   */
  key: string;
  /** Their name in the audit log and the decision list. */
  actor: string;
  /** The identity provider's username (OIDC `preferred_username`, else `sub`); null for a token. */
  username: string | null;
  /** Their e-mail, only when the provider verified it (`email_verified: true`). */
  email: string | null;
  /** Groups from the provider's ID token, as of their last sign-in. */
  groups: string[];
  roles: string[];
  /**
   * For the separation-of-duties rule only: who the change's author would be if it were them (for
   * a token, its maker); `name` is their display name, used as a last resort. Null when unknown.
   */
  self: { username: string | null; email: string | null; name: string | null } | null;
};

/** Settings of the gate policy that come from the operator (lib/config.ts). */
export type PolicyOptions = {
  /** Domains within which a bare approver name matches a verified e-mail's local part. */
  approverDomains: string[];
};

export const NO_POLICY_OPTIONS: PolicyOptions = { approverDomains: [] };

export type DecisionInput = { decision: "approve" | "reject"; comment: string | null };
export type RecordedDecision = {
  /** Who decided, once per person (Decider.key). */
  key: string;
  /** How the decision list names them. */
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

/** What Shiplog knows of who wrote and pushed a commit (from the Git push webhooks). */
export type CommitAuthor = {
  name: string | null;
  email: string | null;
  /** The forge username of the commit's author (GitHub sends it per commit). */
  username?: string | null;
  /** The forge username of whoever pushed it (GitLab `user_username`, GitHub `pusher.name`). */
  pushedBy?: string | null;
};

const fold = (value: string | null | undefined) => value?.trim().toLowerCase() || null;

/** An e-mail as one mailbox: case folded, a `+tag` dropped (alice+x@corp is alice@corp). */
export function mailbox(email: string | null | undefined): string | null {
  const folded = fold(email);
  if (!folded) return null;
  const at = folded.lastIndexOf("@");
  if (at <= 0) return folded;
  const local = folded.slice(0, at).split("+")[0];
  return `${local}${folded.slice(at)}`;
}

/** Whether a user entry of a gate (`alice`, `alice@corp.example.com`) names the decider. */
function namesDecider(entry: string, decider: Decider, options: PolicyOptions): boolean {
  const wanted = fold(entry);
  if (!wanted) return false;
  const email = fold(decider.email);
  if (wanted.includes("@")) return wanted === email;
  if (wanted === fold(decider.username)) return true;
  if (!email) return false;
  const at = email.lastIndexOf("@");
  return email.slice(0, at) === wanted && options.approverDomains.includes(email.slice(at + 1));
}

/**
 * How the decider is named on the gate: the user entry (their username, their verified e-mail,
 * or a bare name equal to that e-mail's local part within the operator's approver domains) or the
 * group entry (`group:NAME` with NAME among their groups); null when none does. A token is never
 * named: it decides only gates that name no approvers.
 */
export function matchApprover(
  approvers: string[],
  decider: Decider,
  options: PolicyOptions = NO_POLICY_OPTIONS,
): { entry: string | null; group?: string } | null {
  if (decider.kind === "token") return null;
  const user = approvers.find((a) => !a.startsWith("group:") && namesDecider(a, decider, options));
  if (user) return { entry: user };
  const group = approvers
    .filter((a) => a.startsWith("group:"))
    .map((a) => a.slice("group:".length))
    .find((g) => decider.groups.includes(g));
  if (group) return { entry: null, group };
  return null;
}

/**
 * Whether the decider wrote (or pushed) the change: 'yes', 'no', or 'unknown' when Shiplog cannot
 * tell — no author known, or nothing of the decider to compare with. The e-mails are compared as
 * mailboxes, the forge usernames of the push and of the author with the decider's username; the
 * author's name with the decider's display name or username only when neither pair could be
 * compared. A match can only refuse an approval, never grant one.
 */
export function authorship(
  author: CommitAuthor | null,
  decider: Decider,
): "yes" | "no" | "unknown" {
  const self = decider.self;
  if (!author || !self) return "unknown";
  const known = [author.email, author.username, author.pushedBy, author.name].some(fold);
  if (!known) return "unknown";
  let compared = false;
  const email = mailbox(self.email);
  if (email && mailbox(author.email)) {
    compared = true;
    if (email === mailbox(author.email)) return "yes";
  }
  const username = fold(self.username);
  for (const forge of [author.username, author.pushedBy]) {
    if (!username || !fold(forge)) continue;
    compared = true;
    if (username === fold(forge)) return "yes";
  }
  if (compared) return "no";
  const name = fold(author.name);
  if (!name) return "unknown";
  return name === fold(self.name) || name === username ? "yes" : "no";
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
  options: PolicyOptions = NO_POLICY_OPTIONS,
): void {
  if (gate.status !== "pending") throw new Conflict(`this gate is already ${gate.status}`);
  if (gate.expiresAt && gate.expiresAt.getTime() <= now.getTime())
    throw new Conflict(`this gate expired at ${gate.expiresAt.toISOString()}`);
  if (gate.approvers.length > 0) {
    if (!matchApprover(gate.approvers, decider, options))
      throw new Forbidden(
        decider.kind === "token"
          ? `an API token cannot decide a gate that names approvers (${gate.approvers.join(", ")}); sign in as one of them`
          : `${decider.actor} is not among this gate's approvers (${gate.approvers.join(", ")})`,
      );
  } else if (!decider.roles.includes("approver") && !decider.roles.includes("admin")) {
    throw new Forbidden(`this gate names no approvers, so it needs the approver role`);
  }
  if (input.decision === "approve" && !gate.authorMayDecide) {
    const wrote = authorship(author, decider);
    if (wrote === "yes")
      throw new Forbidden(`${decider.actor} wrote or pushed this change and may not approve it`);
    if (wrote === "unknown")
      throw new Forbidden(
        !author
          ? "the commit's author is not known yet, so separation of duties cannot be checked"
          : decider.kind === "token" && !decider.self
            ? `${decider.actor} was made with npm run token, so no person answers for its approvals and separation of duties cannot be checked; use a token made on /admin/tokens`
            : `separation of duties cannot be checked: nothing known of ${decider.actor} (username, verified e-mail, name) can be compared with the commit's author`,
      );
  }
  if (input.decision === "reject" && !input.comment?.trim())
    throw new BadInput("a comment is required to reject");
  if (decisions.some((d) => d.key === decider.key))
    throw new Conflict(`${decider.actor} has already decided this gate`);
}

/** One rejection rejects; minApprovals approvals approve; else the gate waits. */
export function outcomeOf(
  minApprovals: number,
  decisions: RecordedDecision[],
): "approved" | "rejected" | "pending" {
  if (decisions.some((d) => d.decision === "reject")) return "rejected";
  const approvals = new Set(decisions.filter((d) => d.decision === "approve").map((d) => d.key));
  return approvals.size >= minApprovals ? "approved" : "pending";
}
