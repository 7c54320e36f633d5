// Attacks on how the JSON endpoints read their request bodies, performed through the route
// handlers with an admin's API token on a real database: a body far over the limit sent as a
// stream (does Shiplog read it all before refusing it?), and JSON sent under another content
// type. Each test is named after what the attacker tries.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "@/lib/auth/tokens";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";

type Handler = (request: Request, context: unknown) => Promise<Response>;
const ORIGIN = "http://localhost";
const CHUNK = 64 * 1024;
let database: TestDatabase;
let pool: pg.Pool;
let admin: string;
let createTokenRoute: Handler;
let decision: Handler;

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 2);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: "body-attacks-test-secret-".padEnd(48, "x"),
    AUTH_URL: ORIGIN,
    LOG_LEVEL: "silent",
  });
  admin = (await createToken(pool, { name: "admin", role: "admin", actor: "test" })).token;
  createTokenRoute = (await import("@/app/api/v1/tokens/route")).POST as Handler;
  decision = (await import("@/app/api/v1/approvals/[id]/decision/route")).POST as Handler;
});

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
  await pool?.end();
  await database?.drop();
});

/** A JSON body of `total` bytes, sent in 64 KiB chunks without a Content-Length; counts what was pulled. */
function endlessJson(total: number) {
  const sent = { bytes: 0 };
  const filler = new TextEncoder().encode("x".repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"name":"'));
    },
    pull(controller) {
      if (sent.bytes >= total) {
        controller.enqueue(new TextEncoder().encode('","role":"viewer"}'));
        controller.close();
        return;
      }
      sent.bytes += filler.byteLength;
      controller.enqueue(filler);
    },
  });
  return { stream, sent };
}

const post = (handler: Handler, url: string, init: RequestInit, params: Record<string, string>) =>
  handler(
    new Request(`${ORIGIN}${url}`, {
      method: "POST",
      ...init,
      headers: { authorization: `Bearer ${admin}`, ...(init.headers as Record<string, string>) },
    }),
    { params: Promise.resolve(params) },
  );

describe("request bodies", () => {
  it("a client streams 32 MiB of JSON at an endpoint that takes 64 KiB", async () => {
    const body = endlessJson(32 * 1024 * 1024);
    const response = await post(
      createTokenRoute,
      "/api/v1/tokens",
      {
        body: body.stream,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as RequestInit,
      {},
    );
    // Reading stopped at the limit (plus what the stream had buffered), not at the end.
    expect(body.sent.bytes).toBeLessThanOrEqual(4 * CHUNK);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "the request body is over 65536 bytes" });
  });

  it("a declared Content-Length over the limit is refused before anything is read", async () => {
    const body = endlessJson(1024 * 1024);
    const response = await post(
      createTokenRoute,
      "/api/v1/tokens",
      {
        body: body.stream,
        headers: { "content-type": "application/json", "content-length": String(1024 * 1024) },
        duplex: "half",
      } as RequestInit,
      {},
    );
    expect(response.status).toBe(413);
    expect(body.sent.bytes).toBeLessThanOrEqual(CHUNK);
  });

  it("a client sends JSON as text/plain or as a form, the content types a cross-site form can send", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]) {
      const response = await post(
        createTokenRoute,
        "/api/v1/tokens",
        {
          body: JSON.stringify({ name: `sneaky ${type}`, role: "admin" }),
          headers: { "content-type": type },
        },
        {},
      );
      expect(response.status, type).toBe(415);
      expect(await response.json()).toEqual({
        error: "send the request body as JSON with the header Content-Type: application/json",
      });
    }
    const made = await pool.query("select name from api_tokens where name like 'sneaky%'");
    expect(made.rows).toEqual([]);
    const gate = "no-such-gate";
    const decided = await post(
      decision,
      `/api/v1/approvals/${gate}/decision`,
      { body: JSON.stringify({ decision: "approve" }), headers: { "content-type": "text/plain" } },
      { id: gate },
    );
    expect(decided.status).toBe(415);
  });

  it("JSON with a charset parameter is still JSON", async () => {
    const response = await post(
      createTokenRoute,
      "/api/v1/tokens",
      {
        body: JSON.stringify({ name: "charset", role: "viewer" }),
        headers: { "content-type": "application/json; charset=utf-8" },
      },
      {},
    );
    expect(response.status).toBe(201);
  });
});
