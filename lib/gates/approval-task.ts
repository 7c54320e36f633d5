// openshift-pipelines' ApprovalTask as a gate: Shiplog shows it and writes each approver's decision
// the way that controller expects — spec.approvers[].input (a group member joins the entry's
// users[]) — as that person, through Kubernetes impersonation, since its webhook checks who writes.
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import type { KubeObject } from "../k8s/informer";
import { APPROVAL_TASKS, KubeApiError } from "../k8s/objects";
import { open, settle, type Ctx } from "./reconcile";
import { readApprovalTask, type Scope } from "./spec";
import { utcParam, type GateRecord } from "./store";

type Entry = {
  name?: string;
  type?: string;
  input?: string;
  message?: string;
  users?: { name: string; input: string; message?: string }[];
};

export type TaskDecision = {
  id: bigint;
  decision: "approve" | "reject";
  comment: string | null;
  /** The decider's own username: the write is made as them. */
  as_user: string | null;
  /** The user entry that named them (it may be their e-mail), when no group entry did. */
  as_entry: string | null;
  /** The group entry that named them. */
  as_group: string | null;
};

const decided = (input: string | undefined) => input === "approve" || input === "reject";

/**
 * spec.approvers with this decision written in, or null when there is nothing to write (the
 * person's entry is missing or already decided). Pure.
 */
export function withDecision(approvers: Entry[], d: TaskDecision): Entry[] | null {
  if (!d.as_user) return null;
  const next = structuredClone(approvers);
  if (d.as_group) {
    const group = next.find((e) => e.type === "Group" && e.name === d.as_group);
    if (!group) return null;
    const users = group.users ?? [];
    if (users.some((u) => u.name === d.as_user && decided(u.input))) return null;
    group.users = [
      ...users.filter((u) => u.name !== d.as_user),
      { name: d.as_user, input: d.decision, ...(d.comment ? { message: d.comment } : {}) },
    ];
    group.input = d.decision;
    return next;
  }
  const entry = d.as_entry ?? d.as_user;
  const user = next.find((e) => e.type !== "Group" && e.name === entry);
  if (!user || decided(user.input)) return null;
  user.input = d.decision;
  if (d.comment) user.message = d.comment;
  return next;
}

export async function handleApprovalTask(ctx: Ctx, scope: Scope, obj: KubeObject): Promise<void> {
  const read = readApprovalTask(obj, scope);
  if (!read) return;
  if (read.state === "approved" || read.state === "rejected") {
    const { rows } = await ctx.pool.query<{ id: string; status: string }>(
      "select id, status from gates where cluster = $1 and uid = $2",
      [scope.cluster, read.spec.uid],
    );
    if (rows[0]?.status === "pending")
      await settle(ctx, rows[0].id, read.state, "the ApprovalTask was decided outside Shiplog", {
        applied: true,
        action: "gate.settle",
      });
    return;
  }
  await open(ctx, read.spec);
}

/** ApprovalTask gates with decisions not yet written. */
export async function approvalTasksToWrite(ctx: Ctx, clusters: string[]): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    `select distinct g.id from gates g join decisions d on d.gate_id = g.id
      where g.kind = 'ApprovalTask' and d.applied_at is null and g.cluster = any($1::text[])`,
    [clusters],
  );
  return rows.map((r) => r.id);
}

async function markDecision(ctx: Ctx, d: TaskDecision, row: GateRecord, outcome: string) {
  await transaction(ctx.pool, async (db) => {
    await db.query(`update decisions set applied_at = ${utcParam(2)} where id = $1`, [
      d.id,
      ctx.now().toISOString(),
    ]);
    await writeAudit(db, {
      actor: d.as_user ?? "unknown",
      action: "gate.write",
      target: `gate:${row.id}`,
      outcome: outcome === "written" ? "success" : "failure",
      details: { cluster: row.cluster, name: row.name, decision: d.decision, outcome },
    });
  });
}

/** Writes each unwritten decision of an ApprovalTask gate, oldest first, as its approver. */
export async function applyApprovalTask(ctx: Ctx, row: GateRecord): Promise<void> {
  const client = ctx.client(row.cluster);
  if (!client) return;
  const ref = { ...APPROVAL_TASKS, namespace: row.namespace };
  const { rows } = await ctx.pool.query<TaskDecision>(
    `select id, decision, comment, as_user, as_entry, as_group from decisions
      where gate_id = $1 and applied_at is null order by at, id`,
    [row.id],
  );
  for (const d of rows) {
    let task: KubeObject;
    try {
      task = await client.get(ref, row.name);
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 404) {
        await markDecision(ctx, d, row, "the ApprovalTask is gone");
        continue;
      }
      throw err;
    }
    const entries = ((task.spec as { approvers?: Entry[] } | undefined)?.approvers ??
      []) as Entry[];
    const approvers = task.metadata?.uid === row.uid ? withDecision(entries, d) : null;
    if (!approvers) {
      await markDecision(ctx, d, row, "nothing to write");
      continue;
    }
    try {
      await client.mergePatch(
        ref,
        row.name,
        { metadata: { resourceVersion: task.metadata?.resourceVersion }, spec: { approvers } },
        { as: { user: d.as_user ?? "", group: d.as_group ?? undefined } },
      );
    } catch (err) {
      // The webhook's answer is final for this person; a conflict or an outage is retried.
      if (err instanceof KubeApiError && (err.code === 403 || err.code === 400)) {
        ctx.log.warn({ gate: row.id, err: err.message }, "the ApprovalTask refused a decision");
        await markDecision(ctx, d, row, `refused: ${err.message}`);
        continue;
      }
      throw err;
    }
    await markDecision(ctx, d, row, "written");
  }
}
