// openshift-pipelines' ApprovalTask as a gate: Shiplog shows it and writes each approver's decision
// the way that controller expects — spec.approvers[].input (a group member joins the entry's
// users[]) — as that person, through Kubernetes impersonation, since its webhook checks who writes.
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import type { KubeObject } from "../k8s/informer";
import { APPROVAL_TASKS, KubeApiError } from "../k8s/objects";
import { open, settle, type Ctx } from "./reconcile";
import { readApprovalTask, type Scope } from "./spec";
import {
  approvalTasksWithUnwrittenDecisions,
  gateByObject,
  markDecisionApplied,
  unwrittenDecisions,
  type GateRecord,
  type TaskDecision,
} from "./store";

type Entry = {
  name?: string;
  type?: string;
  input?: string;
  message?: string;
  users?: { name: string; input: string; message?: string }[];
};

export type { TaskDecision } from "./store";

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
    const gate = await gateByObject(ctx.pool, scope.cluster, read.spec.uid);
    if (gate?.status === "pending")
      await settle(ctx, gate.id, read.state, "the ApprovalTask was decided outside Shiplog", {
        applied: true,
        action: "gate.settle",
      });
    return;
  }
  await open(ctx, read.spec);
}

/** ApprovalTask gates with decisions not yet written. */
export function approvalTasksToWrite(ctx: Ctx, clusters: string[]): Promise<string[]> {
  return approvalTasksWithUnwrittenDecisions(ctx.pool, clusters);
}

async function markDecision(ctx: Ctx, d: TaskDecision, row: GateRecord, outcome: string) {
  await transaction(ctx.pool, async (db) => {
    await markDecisionApplied(db, d.id, ctx.now());
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
  for (const d of await unwrittenDecisions(ctx.pool, row.id)) {
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
