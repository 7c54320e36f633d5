// node-postgres pool for the paths that need plain SQL: batched ingest writes and LISTEN.
import pg from "pg";
import { config, requireServerConfig } from "../config";

// Postgres bigint (int8) ids come back as JS bigint, like Prisma's, rather than strings; set
// on this pool only, so other users of node-postgres (Prisma's adapter) keep their parsers.
// Timestamps without time zone (Prisma's DateTime columns) hold UTC: read them as UTC too.
/** Postgres's `timestamp` text (space- or T-separated, no zone), read as the UTC it holds. */
export function utc(text: string): Date {
  return new Date(`${text.replace(" ", "T")}Z`);
}

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (value: string) => BigInt(value)
      : oid === pg.types.builtins.TIMESTAMP
        ? utc
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const globalForPool = globalThis as unknown as { shiplogPool?: pg.Pool };

/**
 * The session time zone is UTC, so ISO times written into timestamp columns (which Prisma reads as
 * UTC) are not shifted by the server's own zone.
 */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types, options: "-c TimeZone=UTC" });
  // An idle client that loses its connection (a Postgres restart) must not crash the process.
  pool.on("error", () => {});
  return pool;
}

export function pool(): pg.Pool {
  globalForPool.shiplogPool ??= createPool(requireServerConfig(config()).databaseUrl);
  return globalForPool.shiplogPool;
}

export type Queryable = Pick<pg.PoolClient, "query">;

/** Runs work in one transaction on one connection; rolls back on any error. */
export async function transaction<T>(
  from: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await from.connect();
  // A connection lost while the work awaits something else (a batch waiting for its turn) has no
  // query to fail, so node-postgres emits an error event: without a listener an uncaught
  // exception. The next query fails instead, and the dead connection is not put back.
  let lost: Error | undefined;
  const onError = (err: Error) => (lost = err);
  client.on("error", onError);
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    if (!lost) await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.off("error", onError);
    client.release(lost);
  }
}
