import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPool } from "../db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { createHub, type Hub, type StoredEvent } from "./hub";
import { eventStream, formatEvent, resumeFrom } from "./sse";

let database: TestDatabase;
let pool: pg.Pool;
let hub: Hub;
const quiet = { warn: () => {} };

async function publish(sha: string): Promise<bigint> {
  const row = await pool.query<{ id: bigint }>(
    "insert into events (type, payload) values ('timeline', jsonb_build_object('app', 'web', 'sha', $1::text)) returning id",
    [sha],
  );
  await pool.query("select pg_notify('shiplog_events', $1)", [String(row.rows[0].id)]);
  return row.rows[0].id;
}

async function until(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 4);
  hub = createHub(pool, quiet, { retryMs: 100 });
});
afterAll(async () => {
  await hub.close();
  await pool.end();
  await database.drop();
});

describe("event hub", () => {
  it("delivers new events in order to every subscriber", async () => {
    const a: StoredEvent[] = [];
    const b: StoredEvent[] = [];
    const offA = await hub.subscribe(null, (event) => a.push(event));
    const offB = await hub.subscribe(null, (event) => b.push(event));
    const ids = [await publish("1111111"), await publish("2222222"), await publish("3333333")];
    await until(() => a.length === 3 && b.length === 3);
    expect(a.map((event) => event.id)).toEqual(ids);
    expect(b.map((event) => event.payload)).toEqual([
      { app: "web", sha: "1111111" },
      { app: "web", sha: "2222222" },
      { app: "web", sha: "3333333" },
    ]);
    offA();
    offB();
  });

  it("replays what a reconnecting client missed (Last-Event-ID), then goes on live", async () => {
    const first = await publish("aaaaaaa");
    const missed = [await publish("bbbbbbb"), await publish("ccccccc")];
    const seen: bigint[] = [];
    const off = await hub.subscribe(first, (event) => seen.push(event.id));
    const live = await publish("ddddddd");
    await until(() => seen.length === 3);
    expect(seen).toEqual([...missed, live]);
    off();
  });

  it("catches up after its listening connection is killed", async () => {
    const seen: bigint[] = [];
    const off = await hub.subscribe(null, (event) => seen.push(event.id));
    await pool.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
    );
    const during = await publish("eeeeeee");
    const after = await publish("fffffff");
    await until(() => seen.length === 2, 10_000);
    expect(seen).toEqual([during, after]);
    off();
  });
});

describe("event hub whose database goes away", () => {
  it("gives its connection back once and keeps retrying quietly", async () => {
    const doomed = await freshDatabase();
    const doomedPool = createPool(doomed.url, 2);
    const warnings: string[] = [];
    const doomedHub = createHub(
      doomedPool,
      { warn: (_fields, message) => warnings.push(message) },
      { retryMs: 50 },
    );
    const off = await doomedHub.subscribe(null, () => {});
    await doomed.drop(); // terminates the listening connection (drop database … with (force))
    await until(() => warnings.includes("event listener connection lost; reconnecting"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      warnings.filter((w) => w === "event listener connection lost; reconnecting"),
    ).toHaveLength(1);
    off();
    await doomedHub.close();
    await doomedPool.end();
  });
});

describe("server-sent events", () => {
  it("formats an event with id and type", () => {
    expect(formatEvent({ id: 42n, type: "gate", payload: { id: "g1", status: "approved" } })).toBe(
      'id: 42\nevent: gate\ndata: {"id":"g1","status":"approved"}\n\n',
    );
  });

  it("resumes from the Last-Event-ID header or the lastEventId parameter", () => {
    expect(
      resumeFrom(new Request("http://x/api/v1/events", { headers: { "last-event-id": "17" } })),
    ).toBe(17n);
    expect(resumeFrom(new Request("http://x/api/v1/events?lastEventId=9"))).toBe(9n);
    expect(
      resumeFrom(
        new Request("http://x/api/v1/events", { headers: { "last-event-id": "x; drop" } }),
      ),
    ).toBeNull();
  });

  it("streams events to a client until it goes away", async () => {
    const abort = new AbortController();
    const response = eventStream(
      hub,
      new Request("http://x/api/v1/events", { signal: abort.signal }),
    );
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const readSome = async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    };
    await readSome();
    expect(text).toContain("retry: 2000");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = await publish("9999999");
    while (!text.includes(`id: ${id}`)) await readSome();
    expect(text).toContain(`id: ${id}\nevent: timeline\ndata: {"app":"web","sha":"9999999"}`);
    abort.abort();
  });
});
