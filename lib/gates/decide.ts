// A person's decision on a gate: one transaction that locks the gate row, checks the policy,
// records the decision (one per person), settles the outcome once, writes the audit record and
// the events. The leader's controller writes the outcome to the cluster (woken by NOTIFY).
import type pg from "pg";
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import { isImpersonable } from "../k8s/objects";
import { AppError, BadInput, Conflict, Forbidden, NotFound } from "../errors";
import {
  checkDecision,
  matchApprover,
  NO_POLICY_OPTIONS,
  outcomeOf,
  type Decider,
  type DecisionInput,
  type GateStatus,
  type PolicyOptions,
} from "./policy";
import {
  announceGate,
  authorOf,
  decisionsOf,
  finishGate,
  gateRow,
  insertDecision,
  toGate,
  type Gate,
} from "./store";

export const GATE_DECIDE = "gate.decide";

/**
 * Whom an ApprovalTask decision acts as toward Kubernetes: the decider's own username, never the
 * gate entry that matched and never a display name (the group, when a group entry matched, is one
 * of their own groups). Throws when the name could not be sent as a header as it is.
 */
export function impersonationOf(decider: Decider): string {
  if (!decider.username)
    throw new Forbidden(
      `${decider.actor} has no username from the identity provider, so the ApprovalTask cannot be written as them`,
    );
  if (!isImpersonable(decider.username))
    throw new BadInput(
      `the username ${JSON.stringify(decider.username)} cannot be sent to Kubernetes as an impersonated user (printable ASCII only, no leading or trailing space)`,
    );
  // Kubernetes reserves system: for its own users (system:admin, system:serviceaccount:…).
  if (decider.username.startsWith("system:"))
    throw new Forbidden(
      `the username ${JSON.stringify(decider.username)} is reserved by Kubernetes and is never impersonated`,
    );
  return decider.username;
}

export async function decide(
  pool: pg.Pool,
  gateId: string,
  decider: Decider,
  input: DecisionInput,
  now = new Date(),
  options: PolicyOptions = NO_POLICY_OPTIONS,
): Promise<Gate> {
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const result = await transaction(pool, async (db) => {
    const row = await gateRow(db, gateId, { lock: true });
    if (!row) throw new NotFound(`no gate ${gateId}`);
    const decisions = (await decisionsOf(db, [gateId])).get(gateId) ?? [];
    const author = authorOf(row);
    let as: ReturnType<typeof matchApprover> = null;
    let impersonate: string | null = null;
    try {
      checkDecision(
        {
          status: row.status,
          approvers: row.approvers,
          minApprovals: row.min_approvals,
          authorMayDecide: row.author_may_decide,
          expiresAt: row.expires_at,
        },
        decisions,
        decider,
        { decision: input.decision, comment },
        author,
        now,
        options,
      );
      // An ApprovalTask's webhook checks who writes: the decision is written as this person.
      if (row.kind === "ApprovalTask") {
        as = matchApprover(row.approvers, decider, options);
        impersonate = impersonationOf(decider);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // The refusal is recorded too; the transaction commits the record and nothing else.
      await writeAudit(db, {
        actor: decider.actor,
        action: GATE_DECIDE,
        target: `gate:${gateId}`,
        outcome: "denied",
        details: { decision: input.decision, decider: decider.key, reason: error.message },
      });
      return { error };
    }
    const inserted = await insertDecision(db, {
      gateId,
      decider: decider.key,
      user: decider.actor,
      decision: input.decision,
      comment,
      at: now,
      asUser: impersonate,
      asEntry: as?.entry ?? null,
      asGroup: as?.group ?? null,
    });
    if (!inserted) return { error: new Conflict(`${decider.actor} has already decided this gate`) };
    const all = [...decisions, inserted];
    const outcome = outcomeOf(row.min_approvals, all);
    const status: GateStatus = outcome;
    if (outcome !== "pending") await finishGate(db, gateId, outcome, now);
    await writeAudit(db, {
      actor: decider.actor,
      action: GATE_DECIDE,
      target: `gate:${gateId}`,
      outcome: "success",
      details: {
        decision: input.decision,
        decider: decider.key,
        ...(impersonate ? { as: impersonate } : {}),
        comment,
        gateStatus: status,
        cluster: row.cluster,
        namespace: row.namespace,
        name: row.name,
      },
    });
    await announceGate(db, row, status);
    return {
      gate: toGate({ ...row, status, decided_at: outcome === "pending" ? null : now }, all),
    };
  });
  if ("error" in result) throw result.error;
  return result.gate;
}
