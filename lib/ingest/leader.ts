// One replica runs the watchers: whoever holds a Postgres advisory lock. The lock lives on one
// connection; if that connection dies (a Postgres restart), the work stops and the replicas
// compete again.
import type pg from "pg";

const LOCK_ID = 0x5_4150_4c4f; // "SHIPLO" — any constant shared by all replicas

type Logger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
};

export type Leadership = { isLeader(): boolean; stop(): Promise<void> };

export function runAsLeader(options: {
  pool: pg.Pool;
  log: Logger;
  start: () => { stop(): Promise<void> };
  retryMs?: number;
}): Leadership {
  const retryMs = options.retryMs ?? 10_000;
  let client: pg.PoolClient | undefined;
  let work: { stop(): Promise<void> } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // A connection that died without an error event is found by the next heartbeat.
  const heartbeat = setInterval(() => {
    if (work && client) client.query("select 1").catch((err: unknown) => void resign(String(err)));
  }, retryMs);
  heartbeat.unref();

  // One listener, taken off before a connection goes back to the pool: a pooled client that
  // kept it would call resign on errors that belong to someone else's checkout.
  const onError = (err: Error) => void resign(String(err));
  /** Gives the held connection up exactly once, whichever path gets here first. */
  const letGo = (): pg.PoolClient | undefined => {
    const held = client;
    client = undefined;
    held?.off("error", onError);
    return held;
  };

  const resign = async (reason: string) => {
    if (work) options.log.warn({ reason }, "lost the watcher lock; stopping watchers");
    const running = work;
    work = undefined;
    letGo()?.release(true);
    await running?.stop();
    if (!stopped) timer = setTimeout(() => void attempt(), retryMs);
  };

  const attempt = async () => {
    timer = undefined;
    try {
      client = await options.pool.connect();
      client.on("error", onError);
      const result = await client.query<{ locked: boolean }>(
        "select pg_try_advisory_lock($1) as locked",
        [LOCK_ID],
      );
      // Stopped meanwhile: closing the connection also drops a lock it may just have taken.
      if (stopped) {
        letGo()?.release(true);
        return;
      }
      if (result.rows[0]?.locked) {
        options.log.info({}, "holding the watcher lock; starting watchers");
        work = options.start();
      } else {
        letGo()?.release();
        timer = setTimeout(() => void attempt(), retryMs);
      }
    } catch (err) {
      await resign(String(err));
    }
  };

  void attempt();
  return {
    isLeader: () => work !== undefined,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      const running = work;
      work = undefined;
      await running?.stop();
      const held = letGo();
      if (held) {
        await held.query("select pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
        held.release();
      }
    },
  };
}
