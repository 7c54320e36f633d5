// Attacks on the live event stream (/api/v1/events), each performed end to end: a session from
// next-auth's own handler or an API token from the tokens store, the events route handler
// streaming real events from Postgres, and then what ends the credentials (sign-out, revocation,
// the session's lifetime). Streams re-check every second here (SHIPLOG_EVENTS_RECHECK=1s).
// Each test is named after what the attacker tries.
import type { NextAuthOptions } from "next-auth";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { loadConfig } from "@/lib/config";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { AUTH_ORIGIN, demoSignIn, Jar, signOut } from "@/test/next-auth-flow";

type Handler = (request: Request, context: unknown) => Promise<Response>;
const PASSWORD = "stream-attack-password";
let database: TestDatabase;
let pool: pg.Pool;
let options: NextAuthOptions;
let events: Handler;
const open: AbortController[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 2);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: "stream-attacks-test-secret-".padEnd(48, "x"),
    AUTH_URL: AUTH_ORIGIN,
    LOG_LEVEL: "silent",
    SHIPLOG_DEMO: "true",
    SHIPLOG_DEMO_PASSWORD: PASSWORD,
    SHIPLOG_EVENTS_RECHECK: "1s",
  });
  options = (await import("@/lib/auth/options")).buildAuthOptions(loadConfig(process.env));
  events = (await import("@/app/api/v1/events/route")).GET as Handler;
});

afterEach(() => {
  for (const stream of open.splice(0)) stream.abort();
});

afterAll(async () => {
  await (await import("@/lib/realtime")).hub().close();
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
  await pool?.end();
  await database?.drop();
});

/** Opens the event stream with these headers, as EventSource (cookie) or a client (token) does. */
async function connect(headers: Record<string, string>) {
  const abort = new AbortController();
  open.push(abort);
  const response = await events(
    new Request(`${AUTH_ORIGIN}/api/v1/events`, { headers, signal: abort.signal }),
    { params: Promise.resolve({}) },
  );
  return { response, abort };
}

/** Reads the stream until it ends or `ms` pass: what it said, and whether it ended. */
async function readFor(response: Response, ms: number) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      void reader.cancel();
      return { text, ended: false };
    }
    const next = await Promise.race([
      reader.read(),
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), left)),
    ]);
    if (next === "timeout") continue;
    if (next.done) return { text, ended: true };
    text += decoder.decode(next.value);
  }
}

describe("an event stream whose credentials are gone", () => {
  it("a thief keeps a live stream open with a cookie whose owner signed out", async () => {
    const jar = new Jar();
    await demoSignIn(options, jar, "dev", PASSWORD);
    const { response } = await connect({ cookie: jar.sessionCookie() });
    expect(response.status).toBe(200);
    await signOut(options, jar);
    const read = await readFor(response, 4_000);
    expect(read.ended).toBe(true);
    expect(read.text).toContain(
      'event: end\ndata: {"reason":"credentials no longer valid; sign in again"}',
    );
  });

  it("a client keeps streaming with an API token after it was revoked", async () => {
    const made = await createToken(pool, { name: "watcher", role: "viewer", actor: "test" });
    const { response } = await connect({ authorization: `Bearer ${made.token}` });
    expect(response.status).toBe(200);
    await revokeToken(pool, { id: made.id, actor: "admin@example.com" });
    // Revoked in this process, which forgets the token at once; the next check ends the stream.
    const read = await readFor(response, 4_000);
    expect(read.ended).toBe(true);
  });

  it("a stream opened just before the session's lifetime ran out keeps going after it", async () => {
    const jar = new Jar();
    // Signed in 12 hours less two seconds ago (the lifetime is 12 hours).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 12 * 3_600_000 + 2_000 });
    try {
      await demoSignIn(options, jar, "approver", PASSWORD);
    } finally {
      vi.useRealTimers();
    }
    const { response } = await connect({ cookie: jar.sessionCookie() });
    expect(response.status).toBe(200);
    const read = await readFor(response, 6_000);
    expect(read.ended).toBe(true);
  });
});

describe("streams per caller", () => {
  it("one person opens event streams without end", async () => {
    const jar = new Jar();
    await demoSignIn(options, jar, "operator", PASSWORD);
    const cookie = jar.sessionCookie();
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await connect({ cookie }));
    expect(streams.map((s) => s.response.status)).toEqual(Array(10).fill(200));
    const eleventh = await connect({ cookie });
    expect(eleventh.response.status).toBe(429);
    expect(await eleventh.response.json()).toEqual({
      error:
        "operator@demo.shiplog.invalid already has 10 event streams open; close a tab or client and try again",
    });
    // Another person is not held back by it.
    const other = new Jar();
    await demoSignIn(options, other, "admin", PASSWORD);
    expect((await connect({ cookie: other.sessionCookie() })).response.status).toBe(200);
    // Closing one makes room again.
    streams[0]!.abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await connect({ cookie })).response.status).toBe(200);
  });

  it("one API token opens event streams without end", async () => {
    const made = await createToken(pool, { name: "greedy", role: "viewer", actor: "test" });
    const headers = { authorization: `Bearer ${made.token}` };
    for (let i = 0; i < 10; i++) expect((await connect(headers)).response.status).toBe(200);
    const eleventh = await connect(headers);
    expect(eleventh.response.status).toBe(429);
    expect(await eleventh.response.json()).toEqual({
      error:
        'token "greedy" already has 10 event streams open; close a tab or client and try again',
    });
  });
});
