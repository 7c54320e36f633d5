// The gate controller, run by the leader replica only: sees Approval CustomRuns, ApprovalTasks and
// pending PipelineRuns of every cluster as the watchers report them (observe), opens their gates,
// marks the runs as waiting, and writes each decided gate's outcome to the cluster once
// (applied_at), woken at once by NOTIFY from decide.ts.
import type pg from "pg";
import type { KubeObject } from "../k8s/informer";
import type { ClusterConnection } from "../k8s/kubeconfig";
import { objectClient, type ObjectClient } from "../k8s/objects";
import { applyApprovalTask, approvalTasksToWrite, handleApprovalTask } from "./approval-task";
import { GATES_CHANNEL, gateRow, gatesToApply, markApplied, type Gate } from "./store";
import { applyOutcome, expireDue, handleCustomRun, handlePipelineRun, type Ctx } from "./reconcile";

type Logger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
};

export type GateControllerOptions = {
  clusters: ClusterConnection[];
  pool: pg.Pool;
  log: Logger;
  /** How often decided gates are retried and expiries checked without a NOTIFY (default 2 s). */
  tickMs?: number;
  now?: () => Date;
  /** Told when a gate opens (the optional chat notification); never awaited. */
  onOpen?: (gate: Gate) => void;
};

/** An object the watchers reported, with its cluster. */
export type ObservedObject = {
  scope: { cluster: string; environment: string | null };
  object?: unknown;
  deleted?: boolean;
};

export type GateController = {
  /** Objects as the watchers report them; the kinds that can be gates are reconciled. */
  observe(batch: readonly ObservedObject[]): void;
  trigger(): void;
  stop(): Promise<void>;
};

const GATE_KINDS: ReadonlySet<string> = new Set(["CustomRun", "PipelineRun", "ApprovalTask"]);

export function startGateController(options: GateControllerOptions): GateController {
  const { pool, log } = options;
  const tickMs = options.tickMs ?? 2000;
  const clients = new Map<string, { conn: ClusterConnection; client: ObjectClient }>(
    options.clusters.map((conn) => [conn.context, { conn, client: objectClient(conn.kubeConfig) }]),
  );
  const ctx: Ctx = {
    pool,
    log,
    now: options.now ?? (() => new Date()),
    client: (cluster) => clients.get(cluster)?.client,
    onOpen: options.onOpen,
  };
  let stopped = false;

  // Objects to reconcile, newest version per object; handled one at a time.
  type Item = { cluster: string; environment: string | null; obj: KubeObject };
  const queue = new Map<string, Item>();
  let draining: Promise<void> | undefined;
  const drain = () => {
    draining ??= (async () => {
      while (!stopped && queue.size > 0) {
        const [key, item] = queue.entries().next().value as [string, Item];
        queue.delete(key);
        try {
          const scope = { cluster: item.cluster, environment: item.environment };
          if (item.obj.kind === "PipelineRun") await handlePipelineRun(ctx, scope, item.obj);
          else if (item.obj.kind === "ApprovalTask") await handleApprovalTask(ctx, scope, item.obj);
          else await handleCustomRun(ctx, scope, item.obj);
        } catch (err) {
          log.warn({ err, cluster: item.cluster, key }, "gate reconcile failed; retrying");
          setTimeout(() => {
            if (!stopped && !queue.has(key)) {
              queue.set(key, item);
              drain();
            }
          }, tickMs).unref();
        }
      }
      trigger(); // a new or cancelled gate may have something to write
    })().finally(() => {
      draining = undefined;
      if (!stopped && queue.size > 0) drain();
    });
  };

  // The apply pass: expire what is due, then write every decided, unwritten outcome, serially.
  let passing: Promise<void> | undefined;
  let again = false;
  const pass = async () => {
    const names = [...clients.keys()];
    await expireDue(ctx, names);
    // An ApprovalTask takes every decision as it comes (its controller counts them).
    for (const id of await approvalTasksToWrite(ctx, names)) {
      const row = await gateRow(pool, id);
      if (stopped || !row) return;
      await applyApprovalTask(ctx, row).catch((err: unknown) =>
        log.warn({ err, gate: id }, "writing a decision to an ApprovalTask failed; retrying"),
      );
    }
    for (const row of await gatesToApply(pool, names)) {
      if (stopped) return;
      if (row.kind === "ApprovalTask") {
        if (!(await approvalTasksToWrite(ctx, names)).includes(row.id))
          await markApplied(pool, row.id, ctx.now());
        continue;
      }
      await applyOutcome(ctx, row).catch((err: unknown) =>
        log.warn(
          { err, gate: row.id, cluster: row.cluster },
          "writing a gate outcome failed; retrying",
        ),
      );
    }
  };
  const trigger = () => {
    if (stopped) return;
    if (passing) {
      again = true;
      return;
    }
    passing = (async () => {
      do {
        again = false;
        await pass().catch((err: unknown) => log.warn({ err }, "gate pass failed"));
      } while (again && !stopped);
    })().finally(() => {
      passing = undefined;
    });
  };
  const ticker = setInterval(trigger, tickMs);
  ticker.unref();

  // NOTIFY from any replica's decision wakes the pass at once.
  // Each listening connection goes back exactly once, whatever errors it emits afterwards.
  let listener: pg.PoolClient | undefined;
  const released = new WeakSet<pg.PoolClient>();
  const drop = (client: pg.PoolClient, destroy: boolean) => {
    if (released.has(client)) return;
    released.add(client);
    if (listener === client) listener = undefined;
    client.release(destroy);
  };
  const retryListen = () => {
    if (!stopped) setTimeout(() => void listen(), Math.min(tickMs, 1000)).unref();
  };
  const listen = async () => {
    if (stopped) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      const mine = client;
      listener = mine;
      mine.on("notification", () => trigger());
      mine.on("error", () => {
        if (released.has(mine)) return;
        drop(mine, true);
        retryListen();
      });
      await mine.query(`listen ${GATES_CHANNEL}`);
      trigger(); // anything decided while not listening
    } catch (err) {
      log.warn({ err }, "cannot listen for gate decisions; polling only until it can");
      if (client) drop(client, true);
      retryListen();
    }
  };
  void listen();

  trigger();

  return {
    observe(batch) {
      if (stopped) return;
      let queued = false;
      for (const { scope, object, deleted } of batch) {
        const obj = object as KubeObject | undefined;
        if (deleted || !obj?.kind || !GATE_KINDS.has(obj.kind)) continue;
        queue.set(`${scope.cluster}\u0000${obj.metadata?.uid ?? obj.metadata?.name}`, {
          cluster: scope.cluster,
          environment: scope.environment,
          obj,
        });
        queued = true;
      }
      // Other kinds wake nothing: every drain ends in an apply pass (several queries).
      if (queued) drain();
    },
    trigger,
    async stop() {
      stopped = true;
      clearInterval(ticker);
      await draining;
      await passing;
      const client = listener;
      if (client && !released.has(client)) {
        await client.query(`unlisten ${GATES_CHANNEL}`).catch(() => {});
        drop(client, false);
      }
    },
  };
}
