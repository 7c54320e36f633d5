// A person's decision on a gate: one transaction that locks the gate row, checks the policy,
// records the decision (one per person), settles the outcome once, writes the audit record and
// the events. The leader's controller writes the outcome to the cluster (woken by NOTIFY).
import type pg from "pg";
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import { AppError, Conflict, NotFound } from "../errors";
import {
  checkDecision,
  matchApprover,
  outcomeOf,
  type Decider,
  type DecisionInput,
  type GateStatus,
  type RecordedDecision,
} from "./policy";
import { announceGate, decisionsOf, finishGate, gateRow, toGate, utc, type Gate } from "./store";

export const GATE_DECIDE = "gate.decide";

export async function decide(
  pool: pg.Pool,
  gateId: string,
  decider: Decider,
  input: DecisionInput,
  now = new Date(),
): Promise<Gate> {
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const result = await transaction(pool, async (db) => {
    const row = await gateRow(db, gateId, { lock: true });
    if (!row) throw new NotFound(`no gate ${gateId}`);
    const decisions = (await decisionsOf(db, [gateId])).get(gateId) ?? [];
    const author =
      row.author || row.author_email ? { name: row.author, email: row.author_email } : null;
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
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // The refusal is recorded too; the transaction commits the record and nothing else.
      await writeAudit(db, {
        actor: decider.actor,
        action: GATE_DECIDE,
        target: `gate:${gateId}`,
        outcome: "denied",
        details: { decision: input.decision, reason: error.message },
      });
      return { error };
    }
    // An ApprovalTask's webhook checks who writes: keep whom to act as for this decision.
    const as = row.kind === "ApprovalTask" ? matchApprover(row.approvers, decider) : null;
    const inserted = await db.query<RecordedDecision>(
      `insert into decisions (gate_id, "user", decision, comment, at, as_user, as_group)
       values ($1, $2, $3, $4, ${utc(5)}, $6, $7)
       on conflict (gate_id, "user") do nothing returning "user", decision, comment, at`,
      [
        gateId,
        decider.actor,
        input.decision,
        comment,
        now.toISOString(),
        as?.user ?? null,
        as?.group ?? null,
      ],
    );
    if (inserted.rows.length === 0)
      return { error: new Conflict(`${decider.actor} has already decided this gate`) };
    const all = [...decisions, inserted.rows[0]];
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
