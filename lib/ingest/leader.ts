// One replica runs the watchers: whoever holds a Postgres advisory lock. The lock lives on one
// connection; if that connection dies (the leader exits, Postgres restarts), the work stops and
// the replicas compete again. A follower tries the lock every `retryMs`; a replica that cannot
// reach Postgres (or lost its lock's connection) tries again with exponential backoff and jitter,
// so that after a Postgres restart one replica leads again within `backoff.maxMs` of its return.
import type pg from "pg";

const LOCK_ID = 0x5_4150_4c4f; // "SHIPLO" — any constant shared by all replicas

type Logger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
};

/**
 * leader: this replica holds the lock and runs the work; follower: its last try found the lock
 * held by another replica; electing: its last try failed (Postgres unreachable) or it just lost
 * the lock, and it is trying again.
 */
export type LeaderRole = "leader" | "follower" | "electing";

export type LeaderStatus = {
  role: LeaderRole;
  /** When this replica took its current role (ms since the epoch). */
  since: number;
  /** Why it is electing: the last failure, in the driver's words. */
  reason: string | null;
};

export type Leadership = { isLeader(): boolean; status(): LeaderStatus; stop(): Promise<void> };

export type LeaderOptions = {
  pool: pg.Pool;
  log: Logger;
  start: () => { stop(): Promise<void> };
  /** How often a follower tries the lock (default 2 s, jittered by up to a quarter). */
  retryMs?: number;
  /** The wait after a failure: initialMs doubling per failure up to maxMs (default 250 ms → 4 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** How often the leader checks its lock's connection, and how long an answer may take (5 s). */
  heartbeatMs?: number;
  random?: () => number;
  /** Told whenever the role changes (the leader metric). */
  onRole?: (role: LeaderRole) => void;
};

/** Half fixed, half random: never zero (no tight loop), never all replicas at once. */
export function retryDelay(
  failures: number,
  backoff: { initialMs: number; maxMs: number },
  random: () => number,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function runAsLeader(options: LeaderOptions): Leadership {
  const { pool, log } = options;
  const retryMs = options.retryMs ?? 2_000;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 4_000 };
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const random = options.random ?? Math.random;
  let status: LeaderStatus = { role: "electing", since: Date.now(), reason: null };
  let work: { stop(): Promise<void> } | undefined;
  let stopped = false;
  /** Ends the current wait (a sleep, or a leadership) early; set while one is in progress. */
  let interrupt: ((reason: string) => void) | undefined;

  const become = (role: LeaderRole, reason: string | null = null) => {
    if (status.role !== role) {
      status = { role, since: Date.now(), reason };
      options.onRole?.(role);
    } else status = { ...status, reason };
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        interrupt = undefined;
        resolve();
      }, ms);
      interrupt = () => {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
    });

  /** Resolves with the reason the lock's connection was lost (or "stopped"). */
  const holdUntilLost = (client: pg.PoolClient) =>
    new Promise<string>((resolve) => {
      let done = false;
      const finish = (reason: string) => {
        if (done) return;
        done = true;
        clearInterval(heartbeat);
        client.off("error", onError);
        interrupt = undefined;
        resolve(reason);
      };
      const onError = (err: Error) => finish(String(err));
      client.on("error", onError);
      interrupt = finish;
      // A connection that died without an error event is found by the next heartbeat; one that
      // hangs (a network gone quiet) by a heartbeat that does not answer in time.
      const heartbeat = setInterval(() => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer to the heartbeat within ${heartbeatMs} ms`)),
            heartbeatMs,
          );
        });
        Promise.race([client.query("select 1"), late])
          .catch((err: unknown) => finish(String(err)))
          .finally(() => clearTimeout(timer));
      }, heartbeatMs);
      heartbeat.unref();
    });

  /** One try: follower (the lock is taken) or a whole leadership, until its connection is lost. */
  const attempt = async (): Promise<"follower" | "lost"> => {
    const client = await pool.connect();
    // Taken off before the connection goes back to the pool: a pooled client that kept it would
    // report errors that belong to someone else's checkout.
    let failed: Error | undefined;
    const onError = (err: Error) => (failed = err);
    client.on("error", onError);
    let locked: boolean;
    try {
      const result = await client.query<{ locked: boolean }>(
        "select pg_try_advisory_lock($1) as locked",
        [LOCK_ID],
      );
      locked = result.rows[0]?.locked === true;
    } catch (err) {
      client.off("error", onError);
      client.release(true);
      throw err;
    }
    client.off("error", onError);
    if (failed) {
      client.release(true);
      throw failed;
    }
    if (!locked) {
      client.release();
      return "follower";
    }
    if (stopped) {
      // Closing the connection also drops the lock it has just taken.
      client.release(true);
      return "lost";
    }
    log.info({}, "holding the watcher lock; starting watchers");
    work = options.start();
    become("leader");
    const reason = await holdUntilLost(client);
    const running = work;
    work = undefined;
    if (stopped) {
      await running.stop();
      await client.query("select pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
      client.release();
      return "lost";
    }
    log.warn({ reason }, "lost the watcher lock; stopping watchers");
    become("electing", reason);
    client.release(true);
    await running.stop();
    return "lost";
  };

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const outcome = await attempt();
        if (stopped) break;
        if (outcome === "follower") {
          failures = 0;
          if (status.role !== "follower") log.info({}, "another replica holds the watcher lock");
          become("follower");
          await sleep(Math.round(retryMs * (0.75 + random() / 4)));
        } else {
          // The lock's connection died: Postgres may be restarting, so back off from the start.
          failures = 1;
          await sleep(retryDelay(0, backoff, random));
        }
      } catch (err) {
        if (stopped) break;
        const delay = retryDelay(failures++, backoff, random);
        if (status.role !== "electing" || status.reason === null)
          log.warn({ err: String(err), retryMs: delay }, "cannot take the watcher lock; retrying");
        become("electing", String(err));
        await sleep(delay);
      }
    }
  };

  const running = loop();
  return {
    isLeader: () => work !== undefined,
    status: () => status,
    async stop() {
      stopped = true;
      interrupt?.("stopped");
      await running;
    },
  };
}
