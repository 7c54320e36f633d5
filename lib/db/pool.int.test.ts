// transaction() on a real Postgres whose connection dies while the work waits between two
// queries (a batch waiting for its turn when Postgres restarts): the work's next query fails,
// nothing is raised as an uncaught exception, and the dead connection does not go back to the pool.
import { describe, expect, it } from "vitest";
import { databasePerFile } from "@/test/database";
import { createPool, transaction } from "./pool";

const db = databasePerFile(2);

describe("transaction", () => {
  it("fails the work, not the process, when its connection dies between queries", async () => {
    const pool = createPool(db.database.url, 2);
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      let pid: (value: number) => void = () => {};
      const backend = new Promise<number>((resolve) => (pid = resolve));
      let resume: () => void = () => {};
      const waiting = new Promise<void>((resolve) => (resume = resolve));
      const result = transaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
        pid(rows[0]!.pid);
        await waiting; // no query in flight: the connection's death arrives as an error event
        return client.query("select 1");
      });
      await db.pool.query("select pg_terminate_backend($1)", [await backend]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      resume();
      await expect(result).rejects.toThrow(/not queryable|terminat/);
      expect(uncaught).toEqual([]);
      expect(pool.totalCount).toBe(0);
      expect((await pool.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtException", onUncaught);
      await pool.end();
    }
  });
});
