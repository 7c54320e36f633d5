// The gate controller's steps, each safe to repeat: open a gate for an object, mark its run as
// waiting, settle gates the cluster settled (cancel, someone else's decision), expire gates, and
// write a decided gate's outcome once — reading the object first, so a restart never writes twice.
import type pg from "pg";
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import type { KubeObject } from "../k8s/informer";
import { CUSTOM_RUNS, KubeApiError, PIPELINE_RUNS, type ObjectClient } from "../k8s/objects";
import type { GateStatus } from "./policy";
import { readApprovalCustomRun, readPendingPipelineRun, type GateSpec, type Scope } from "./spec";
import { invalidPatch, outcomePatch, pipelineRunPatch, runningPatch } from "./status";
import {
  announceGate,
  decisionsOf,
  expiredGates,
  finishGate,
  gateByObject,
  gateRow,
  markApplied,
  openGate,
  toGate,
  type Gate,
  type GateRecord,
} from "./store";

export type Ctx = {
  pool: pg.Pool;
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  now: () => Date;
  client: (cluster: string) => ObjectClient | undefined;
  onOpen?: (gate: Gate) => void;
};

/** Who the audit log names for what the controller itself settles. */
const CONTROLLER = "shiplog-controller";

type Final = Exclude<GateStatus, "pending">;

export async function open(ctx: Ctx, spec: GateSpec): Promise<GateRecord> {
  const { row, created } = await transaction(ctx.pool, async (db) => {
    const opened = await openGate(db, spec);
    if (opened.created) await announceGate(db, opened.row, "pending");
    return opened;
  });
  if (created) {
    ctx.log.info({ gate: row.id, cluster: spec.cluster, name: spec.name }, "gate opened");
    ctx.onOpen?.(toGate(row, []));
  }
  return row;
}

/** Settles a pending gate from outside a decision (expiry, cancel, the cluster's own outcome). */
export async function settle(
  ctx: Ctx,
  id: string,
  status: Final,
  reason: string,
  options: { applied?: boolean; action: string },
): Promise<boolean> {
  return transaction(ctx.pool, async (db) => {
    const row = await gateRow(db, id, { lock: true });
    if (!row || row.status !== "pending") return false;
    await finishGate(db, id, status, ctx.now(), { applied: options.applied });
    await writeAudit(db, {
      actor: CONTROLLER,
      action: options.action,
      target: `gate:${id}`,
      outcome: "success",
      details: { status, reason, cluster: row.cluster, namespace: row.namespace, name: row.name },
    });
    await announceGate(db, row, status);
    return true;
  });
}

function finalFromCondition(status: "True" | "False", reason: string | null): Final {
  if (status === "True") return "approved";
  if (reason === "CustomRunCancelled") return "cancelled";
  if (reason === "TimedOut" || reason === "CustomRunTimedOut") return "expired";
  return "rejected";
}

const startTimeOf = (obj: KubeObject) =>
  ((obj.status as { startTime?: unknown } | undefined)?.startTime as string | undefined) ?? null;

export async function handleCustomRun(ctx: Ctx, scope: Scope, obj: KubeObject): Promise<void> {
  const read = readApprovalCustomRun(obj, scope);
  if (!read) return;
  const client = ctx.client(scope.cluster);
  const ref = { ...CUSTOM_RUNS, namespace: obj.metadata?.namespace ?? "" };
  const name = obj.metadata?.name ?? "";
  if (read.condition && read.condition.status !== "Unknown") {
    // Finished: by our own write (nothing to do) or by someone else's (record it, never rewrite).
    if (!read.spec) return;
    const existing = await gateByObject(ctx.pool, scope.cluster, read.spec.uid);
    if (existing?.status === "pending")
      await settle(
        ctx,
        existing.id,
        finalFromCondition(read.condition.status, read.condition.reason),
        "the CustomRun finished outside Shiplog",
        { applied: true, action: "gate.settle" },
      );
    return;
  }
  if (read.invalid || !read.spec) {
    if (!read.condition && client)
      await client.mergePatch(
        ref,
        name,
        invalidPatch(read.invalid ?? "invalid params", startTimeOf(obj), ctx.now()),
        { status: true },
      );
    return;
  }
  const row = await open(ctx, read.spec);
  if (read.cancelled && row.status === "pending") {
    await settle(ctx, row.id, "cancelled", read.cancelled, { action: "gate.cancel" });
    return;
  }
  if (!read.condition && row.status === "pending" && client) {
    await client.mergePatch(
      ref,
      name,
      runningPatch(
        { id: row.id, approvers: row.approvers, minApprovals: row.min_approvals },
        startTimeOf(obj),
        ctx.now(),
      ),
      { status: true },
    );
  }
}

export async function handlePipelineRun(ctx: Ctx, scope: Scope, obj: KubeObject): Promise<void> {
  const read = readPendingPipelineRun(obj, scope);
  if (!read?.spec) {
    if (read?.invalid && read.pending)
      ctx.log.warn(
        { cluster: scope.cluster, name: obj.metadata?.name, problem: read.invalid },
        "pending PipelineRun has malformed approval annotations; not opening a gate",
      );
    return;
  }
  if (read.pending) {
    await open(ctx, read.spec);
    return;
  }
  // Started or cancelled without Shiplog: the gate, if there is one, follows the cluster.
  const gate = await gateByObject(ctx.pool, scope.cluster, read.spec.uid);
  if (gate?.status !== "pending") return;
  const cancelled = String((obj.spec as { status?: unknown } | undefined)?.status ?? "").startsWith(
    "Cancelled",
  );
  await settle(
    ctx,
    gate.id,
    cancelled ? "cancelled" : "approved",
    cancelled
      ? "the PipelineRun was cancelled outside Shiplog"
      : "the PipelineRun was started outside Shiplog",
    { applied: true, action: "gate.settle" },
  );
}

export async function expireDue(ctx: Ctx, clusters: string[]): Promise<void> {
  for (const id of await expiredGates(ctx.pool, clusters, ctx.now()))
    await settle(ctx, id, "expired", "no decision before the gate expired", {
      action: "gate.expire",
    });
}

const isNotFound = (err: unknown) => err instanceof KubeApiError && err.code === 404;

/**
 * Writes a decided gate's outcome to its object, once: the object as the cluster holds it decides
 * whether a write is still needed, and applied_at records that it is done.
 */
export async function applyOutcome(ctx: Ctx, row: GateRecord): Promise<void> {
  const client = ctx.client(row.cluster);
  if (!client || row.kind === "ApprovalTask") return;
  const status = row.status as Final;
  const ref = {
    ...(row.kind === "PipelineRun" ? PIPELINE_RUNS : CUSTOM_RUNS),
    namespace: row.namespace,
  };
  let obj: KubeObject;
  try {
    obj = await client.get(ref, row.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    ctx.log.warn({ gate: row.id, name: row.name }, "the gate's object is gone; nothing to write");
    return markApplied(ctx.pool, row.id, ctx.now());
  }
  if (obj.metadata?.uid !== row.uid) return markApplied(ctx.pool, row.id, ctx.now());
  if (row.kind === "PipelineRun") {
    const spec = (obj.spec ?? {}) as { status?: unknown };
    if (spec.status === "PipelineRunPending")
      await client.mergePatch(ref, row.name, pipelineRunPatch(status));
  } else {
    const read = readApprovalCustomRun(obj, { cluster: row.cluster, environment: row.environment });
    const done = read?.condition && read.condition.status !== "Unknown";
    if (!done) {
      const decisions = (await decisionsOf(ctx.pool, [row.id])).get(row.id) ?? [];
      const patch = outcomePatch(
        row.id,
        status,
        decisions,
        {
          expiresAt: row.expires_at,
          cancelMessage: read?.cancelled ?? null,
          startTime: startTimeOf(obj),
        },
        ctx.now(),
      );
      await client.mergePatch(ref, row.name, patch, { status: true });
    }
  }
  await markApplied(ctx.pool, row.id, ctx.now());
  ctx.log.info(
    { gate: row.id, status, cluster: row.cluster, name: row.name },
    "gate outcome written",
  );
}
