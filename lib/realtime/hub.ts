// Fans Postgres NOTIFY out to this replica's server-sent-event clients. The notification only
// wakes the hub; the events themselves are read from the events table in id order, so a
// reconnecting client (Last-Event-ID) and a hub that lost its connection both catch up.
import type pg from "pg";

export type StoredEvent = { id: bigint; type: string; payload: unknown };
type Listener = (event: StoredEvent) => void;
type Logger = { warn(fields: object, message: string): void };

const CHANNEL = "shiplog_events";
const REPLAY_LIMIT = 1000;

export type Hub = {
  /** Replays events after `afterId` (null: only new ones), then delivers live ones, in id order. */
  subscribe(afterId: bigint | null, listener: Listener): Promise<() => void>;
  close(): Promise<void>;
};

export function createHub(pool: pg.Pool, log: Logger, options: { retryMs?: number } = {}): Hub {
  const retryMs = options.retryMs ?? 1000;
  const listeners = new Set<{ after: bigint; listener: Listener }>();
  let lastId: bigint | null = null;
  let client: pg.PoolClient | undefined;
  let closed = false;
  let reading: Promise<void> = Promise.resolve();
  let connecting: Promise<void> | undefined;

  const latestId = async (): Promise<bigint> =>
    (await pool.query<{ id: bigint | null }>("select max(id) as id from events")).rows[0].id ?? 0n;

  /** Reads what arrived after lastId and hands it on; serialized so order holds. */
  const readNew = () => {
    reading = reading.then(async () => {
      if (lastId === null) return;
      const rows = await pool
        .query<StoredEvent>(
          "select id, type, payload from events where id > $1 order by id limit $2",
          [lastId, REPLAY_LIMIT],
        )
        .catch((err: unknown) => {
          log.warn({ err }, "reading events failed");
          return { rows: [] as StoredEvent[] };
        });
      for (const event of rows.rows) {
        lastId = event.id;
        for (const entry of listeners) if (event.id > entry.after) entry.listener(event);
      }
      if (rows.rows.length === REPLAY_LIMIT) readNew();
    });
    return reading;
  };

  /** Gives a listening connection back (destroyed) exactly once, however many errors it emits. */
  const released = new WeakSet<pg.PoolClient>();
  const drop = (mine: pg.PoolClient) => {
    if (released.has(mine)) return;
    released.add(mine);
    mine.release(true);
    if (client === mine) client = undefined;
  };

  const connect = async (): Promise<void> => {
    while (!closed) {
      let mine: pg.PoolClient | undefined;
      try {
        mine = await pool.connect();
        const current = mine;
        client = current;
        current.on("notification", () => void readNew());
        current.on("error", (err) => {
          if (released.has(current)) return;
          log.warn({ err }, "event listener connection lost; reconnecting");
          drop(current);
          if (!closed) setTimeout(() => void (connecting = connect()), retryMs);
        });
        await current.query(`listen ${CHANNEL}`);
        lastId ??= await latestId();
        await readNew(); // whatever was missed while not listening
        return;
      } catch (err) {
        log.warn({ err }, "cannot listen for events; retrying");
        if (mine) drop(mine);
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
  };

  return {
    async subscribe(afterId, listener) {
      connecting ??= connect();
      await connecting;
      await reading;
      // Registered before the replay, with no await in between: live events after `start` are
      // buffered while the replay runs, so none is lost or delivered twice.
      const start = lastId ?? 0n;
      const buffered: StoredEvent[] = [];
      let replaying = true;
      const entry = {
        after: start,
        listener: (event: StoredEvent) => (replaying ? buffered.push(event) : listener(event)),
      };
      listeners.add(entry);
      if (afterId !== null && afterId < start) {
        const missed = await pool.query<StoredEvent>(
          "select id, type, payload from events where id > $1 and id <= $2 order by id limit $3",
          [afterId, start, REPLAY_LIMIT],
        );
        for (const event of missed.rows) listener(event);
      }
      replaying = false;
      for (const event of buffered) listener(event);
      return () => listeners.delete(entry);
    },
    async close() {
      closed = true;
      listeners.clear();
      const mine = client;
      if (mine && !released.has(mine)) {
        await mine.query(`unlisten ${CHANNEL}`).catch(() => {});
        released.add(mine);
        mine.release();
        client = undefined;
      }
    },
  };
}
