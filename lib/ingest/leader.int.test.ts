// Leadership by advisory lock on a real Postgres: one leader among replicas, a hand-over when the
// leader's connection dies or it stops, and pooled connections handed back clean.
import { afterEach, describe, expect, it } from "vitest";
import { databasePerFile } from "@/test/database";
import { freePort } from "@/scripts/lib/postgres";
import { createPool } from "../db/pool";
import { runAsLeader, type Leadership } from "./leader";

const db = databasePerFile(6);
const quiet = { info: () => {}, warn: () => {} };

type Replica = { leadership: Leadership; starts: number; stops: number };
const replicas: Replica[] = [];

function replica(retryMs = 50): Replica {
  const self: Replica = { leadership: undefined as unknown as Leadership, starts: 0, stops: 0 };
  self.leadership = runAsLeader({
    pool: db.pool,
    log: quiet,
    retryMs,
    start: () => {
      self.starts += 1;
      return {
        stop: async () => {
          self.stops += 1;
        },
      };
    },
  });
  replicas.push(self);
  return self;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const leaders = () => replicas.filter((r) => r.leadership.isLeader());

afterEach(async () => {
  await Promise.all(replicas.splice(0).map((r) => r.leadership.stop()));
});

describe("runAsLeader", () => {
  it("makes exactly one of three replicas the leader, and hands over when it stops", async () => {
    const [a, b, c] = [replica(), replica(), replica()];
    await until(() => leaders().length === 1, "one replica leads");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(leaders()).toHaveLength(1);

    const first = leaders()[0]!;
    await first.leadership.stop();
    expect(first.stops).toBe(1);
    await until(
      () => leaders().length === 1 && leaders()[0] !== first,
      "another replica takes over",
    );
    expect([a, b, c].reduce((sum, r) => sum + r.starts, 0)).toBe(2);
  });

  it("stops the work when the lock's connection dies, and leads again once it can", async () => {
    const only = replica();
    await until(() => only.leadership.isLeader(), "the replica leads");
    const { rows } = await db.pool.query<{ pid: number }>(
      `select pid from pg_locks where locktype = 'advisory' and granted
         and database = (select oid from pg_database where datname = current_database())`,
    );
    expect(rows).toHaveLength(1);
    await db.pool.query("select pg_terminate_backend($1)", [rows[0]!.pid]);

    await until(() => only.stops === 1, "the work is stopped");
    await until(() => only.starts === 2, "the replica leads again");
  });

  it("returns its connections to the pool without leftover error listeners", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const holder = replica();
      await until(() => holder.leadership.isLeader(), "the first replica leads");
      // Twenty failed attempts by another replica reuse pooled connections over and over.
      const waiting = replica(5);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(waiting.leadership.isLeader()).toBe(false);
      const client = await db.pool.connect();
      try {
        expect(client.listenerCount("error")).toBeLessThanOrEqual(1);
      } finally {
        client.release();
      }
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("says whether it leads, follows, or is still trying to reach Postgres, and why", async () => {
    const holder = replica();
    await until(() => holder.leadership.isLeader(), "the first replica leads");
    expect(holder.leadership.status()).toMatchObject({ role: "leader", reason: null });
    const waiting = replica();
    await until(() => waiting.leadership.status().role === "follower", "the second one follows");

    const nowhere = createPool(`postgresql://postgres@127.0.0.1:${await freePort()}/shiplog`, 2);
    const attempts: number[] = [];
    const connect = nowhere.connect.bind(nowhere);
    nowhere.connect = (() => {
      attempts.push(Date.now());
      return connect();
    }) as typeof nowhere.connect;
    const lost = runAsLeader({
      pool: nowhere,
      log: quiet,
      start: () => ({ stop: async () => {} }),
      backoff: { initialMs: 40, maxMs: 160 },
    });
    try {
      await until(() => attempts.length >= 5, "five tries");
      expect(lost.status()).toMatchObject({ role: "electing", reason: /ECONNREFUSED/ });
      expect(lost.isLeader()).toBe(false);
      // Backing off: the waits grow to the ceiling (half fixed, half random), never a tight loop.
      const waits = attempts.slice(1).map((at, i) => at - attempts[i]!);
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(15);
      expect(waits.at(-1)).toBeGreaterThanOrEqual(70);
    } finally {
      await lost.stop();
      await nowhere.end();
    }
  });
});
