// The approvals inbox for the signed-in person: each gate with whether they may decide it now and,
// if not, why — computed by the same policy the decision path runs, so the UI and the API agree.
import "server-only";
import { describePrincipal, type Principal } from "../auth/principal";
import { hasRole } from "../auth/roles";
import { pool, type Queryable } from "../db/pool";
import { AppError } from "../errors";
import { deciderFor, policyOptions } from "./index";
import {
  checkDecision,
  NO_POLICY_OPTIONS,
  type CommitAuthor,
  type Decider,
  type GateAccess,
  type PolicyOptions,
} from "./policy";
import { commitAuthors, decidedBy, gatesOfCommit, listGates, type Gate } from "./store";

export type { GateAccess };

export type InboxGate = Gate & GateAccess;

export type GateInbox = {
  /** The name the decisions record for this person (their e-mail, or token:NAME). */
  actor: string;
  pending: InboxGate[];
  decided: InboxGate[];
};

/** Who is asking, as the route guard and the gate policy see them. */
export type Viewer = { principal: Principal; decider: Decider; policy?: PolicyOptions };

/**
 * The verdict the decision route would give an approval now: the role check of the route guard
 * first, then the gate policy (status, expiry, named approvers, the author rule, one decision each).
 */
export function accessTo(
  gate: Gate,
  viewer: Viewer,
  author: CommitAuthor | null,
  now: Date,
  decided = false,
): GateAccess {
  if (!hasRole(viewer.principal.roles, "approver"))
    return {
      canDecide: false,
      reason: `this needs the approver role; ${describePrincipal(viewer.principal)}`,
    };
  try {
    checkDecision(
      {
        status: gate.status,
        approvers: gate.approvers,
        minApprovals: gate.minApprovals,
        authorMayDecide: gate.authorMayDecide,
        expiresAt: gate.expiresAt ? new Date(gate.expiresAt) : null,
      },
      // Only whether this person decided matters here; the list names people, not keys.
      decided
        ? [
            {
              key: viewer.decider.key,
              user: viewer.decider.actor,
              decision: "approve",
              comment: null,
              at: now,
            },
          ]
        : [],
      viewer.decider,
      { decision: "approve", comment: null },
      author,
      now,
      viewer.policy ?? NO_POLICY_OPTIONS,
    );
    return { canDecide: true, reason: null };
  } catch (error) {
    if (error instanceof AppError) return { canDecide: false, reason: error.message };
    throw error;
  }
}

const commitKey = (app: string, sha: string) => `${app}\n${sha}`;

/** The authors of the gates' commits, in one query: the author rule needs them, Gate omits them. */
async function authorsOf(db: Queryable, gates: Gate[]): Promise<Map<string, CommitAuthor>> {
  const linked = gates.flatMap((g) => (g.app && g.sha ? [{ app: g.app, sha: g.sha }] : []));
  const out = new Map<string, CommitAuthor>();
  for (const row of await commitAuthors(db, linked))
    if (row.author) out.set(commitKey(row.app, row.sha), row.author);
  return out;
}

async function withAccess(
  db: Queryable,
  gates: Gate[],
  viewer: Viewer,
  now: Date,
): Promise<InboxGate[]> {
  const [authors, decided] = await Promise.all([
    authorsOf(db, gates),
    decidedBy(
      db,
      gates.map((g) => g.id),
      viewer.decider.key,
    ),
  ]);
  return gates.map((gate) => {
    const author = gate.app && gate.sha ? authors.get(commitKey(gate.app, gate.sha)) : undefined;
    return {
      ...gate,
      ...accessTo(gate, viewer, author ?? null, now, decided.has(gate.id)),
    };
  });
}

/** The inbox on a given database, for a viewer already resolved. */
export async function inboxOf(
  db: Queryable,
  viewer: Viewer,
  options: { pendingLimit?: number; decidedLimit?: number; now?: Date } = {},
): Promise<GateInbox> {
  const now = options.now ?? new Date();
  const [pending, decided] = await Promise.all([
    listGates(db, { status: "pending", limit: options.pendingLimit ?? 200 }),
    listGates(db, { status: "decided", limit: options.decidedLimit ?? 50 }),
  ]);
  return {
    actor: viewer.decider.actor,
    pending: await withAccess(db, pending, viewer, now),
    decided: await withAccess(db, decided, viewer, now),
  };
}

/** The gates of one commit (its approval stages'), each with the viewer's access. */
export async function commitGatesOf(
  db: Queryable,
  viewer: Viewer,
  app: string,
  sha: string,
  now = new Date(),
): Promise<InboxGate[]> {
  const gates = await gatesOfCommit(db, app, sha.toLowerCase());
  return withAccess(db, gates, viewer, now);
}

async function viewerOf(principal: Principal): Promise<Viewer> {
  return { principal, decider: await deciderFor(principal), policy: policyOptions() };
}

/** For the approvals page: the inbox of the signed-in person (or token). */
export async function gateInbox(principal: Principal): Promise<GateInbox> {
  return inboxOf(pool(), await viewerOf(principal));
}

/** For a commit's timeline: its gates with what the signed-in person may do about each. */
export async function commitGates(
  principal: Principal,
  app: string,
  sha: string,
): Promise<InboxGate[]> {
  return commitGatesOf(pool(), await viewerOf(principal), app, sha);
}
