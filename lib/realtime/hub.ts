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

  const connect = async (): Promise<void> => {
    while (!closed) {
      try {
        client = await pool.connect();
        client.on("notification", () => void readNew());
        client.on("error", (err) => {
          log.warn({ err }, "event listener connection lost; reconnecting");
          client?.release(true);
          client = undefined;
          if (!closed) setTimeout(() => void (connecting = connect()), retryMs);
        });
        await client.query(`listen ${CHANNEL}`);
        lastId ??= await latestId();
        await readNew(); // whatever was missed while not listening
        return;
      } catch (err) {
        log.warn({ err }, "cannot listen for events; retrying");
        client?.release(true);
        client = undefined;
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
      if (client) {
        await client.query(`unlisten ${CHANNEL}`).catch(() => {});
        client.release();
      }
    },
  };
}
