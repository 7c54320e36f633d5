// Attacks on what Shiplog tells the network, through proxy.ts and the route handlers: a visit
// over https must pin the browser to https (Strict-Transport-Security), and the public
// readiness check must not hand an anonymous caller the database's own error text (its name,
// host or user). Shiplog here is configured with an https AUTH_URL and a database that does
// not exist. Each test is named after what the attacker tries.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Handler = (request: Request, context: unknown) => Promise<Response>;
const PUBLIC_URL = "https://shiplog.example.com";
const HIDDEN_DATABASE = "payroll_shiplog_internal";
let proxy: (request: NextRequest) => Promise<Response>;
let openapi: Handler;
let readyz: () => Promise<Response>;

beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${HIDDEN_DATABASE}`,
    AUTH_SECRET: "transport-attacks-test-secret-".padEnd(48, "x"),
    AUTH_URL: PUBLIC_URL,
    LOG_LEVEL: "silent",
  });
  proxy = (await import("@/proxy")).proxy;
  openapi = (await import("@/app/api/v1/openapi.json/route")).GET as Handler;
  readyz = (await import("@/app/api/readyz/route")).GET;
});

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
});

describe("over https", () => {
  it("a network attacker strips TLS from a later visit (no Strict-Transport-Security)", async () => {
    const page = await proxy(new NextRequest(`${PUBLIC_URL}/approvals`));
    expect(page.status).toBe(307);
    expect(page.headers.get("strict-transport-security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
    const api = await openapi(new Request(`${PUBLIC_URL}/api/v1/openapi.json`), {
      params: Promise.resolve({}),
    });
    expect(api.status).toBe(200);
    expect(api.headers.get("strict-transport-security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
  });
});

describe("/api/readyz", () => {
  it("an anonymous caller learns the database's name and error from the readiness check", async () => {
    const response = await readyz();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain(HIDDEN_DATABASE);
    expect(text).not.toContain("does not exist");
    expect(text).not.toContain("127.0.0.1");
    expect(JSON.parse(text)).toMatchObject({
      status: "not ready",
      checks: { database: { ok: false, detail: "database unreachable" } },
    });
  });
});
