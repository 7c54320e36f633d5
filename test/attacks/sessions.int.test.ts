// Attacks on how long a session lasts, each performed end to end: next-auth's
// own request handling with Shiplog's options (the demo users' credentials callback, the session
// refresh every browser makes, sign-out), a single sign-on with the ID token an identity
// provider would send, `npm run user`, then the cookie against the API's route handlers and
// proxy.ts, on a real database. Each test is named after what the attacker tries.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { NextAuthOptions } from "next-auth";
import { NextRequest } from "next/server";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig, type Config } from "@/lib/config";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { demoSignIn, Jar, refreshSession, signOut, AUTH_ORIGIN } from "@/test/next-auth-flow";
import { OIDC_ENV, oidcSignIn } from "@/test/sign-in";

type Handler = (request: Request, context: unknown) => Promise<Response>;
const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "attack-demo-password";
const HOUR_MS = 3_600_000;
let database: TestDatabase;
let pool: pg.Pool;
let config: Config;
let options: NextAuthOptions;
let apps: Handler;
let tokens: Handler;
let proxy: (request: NextRequest) => Promise<Response>;

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 2);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: "session-attacks-test-secret-".padEnd(48, "x"),
    AUTH_URL: AUTH_ORIGIN,
    LOG_LEVEL: "silent",
    SHIPLOG_DEMO: "true",
    SHIPLOG_DEMO_PASSWORD: PASSWORD,
    ...OIDC_ENV,
    SHIPLOG_ROLE_GROUPS: "approver=release-managers,admin=platform-admins",
  });
  config = loadConfig(process.env);
  options = (await import("@/lib/auth/options")).buildAuthOptions(config);
  apps = (await import("@/app/api/v1/apps/route")).GET as Handler;
  tokens = (await import("@/app/api/v1/tokens/route")).GET as Handler;
  proxy = (await import("@/proxy")).proxy;
});

afterAll(async () => {
  vi.useRealTimers();
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
  await pool?.end();
  await database?.drop();
});

/** GET an API route with a Cookie header, as the browser sends it. */
async function get(handler: Handler, route: string, cookie: string) {
  const response = await handler(
    new Request(`${AUTH_ORIGIN}/api/v1/${route}`, { headers: { cookie } }),
    { params: Promise.resolve({}) },
  );
  return response.status;
}

/** What proxy.ts does with a page visit: 200 lets it through, 307 sends it to /signin. */
async function visit(page: string, cookie: string) {
  const response = await proxy(new NextRequest(`${AUTH_ORIGIN}${page}`, { headers: { cookie } }));
  return { status: response.status, location: response.headers.get("location") };
}

async function until<T>(check: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  let value = await check();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await check();
  }
  return value;
}

function userCommand(args: string[]) {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/user.ts", ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_URL: database.url,
    } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("a session that should have ended", () => {
  it("an attacker keeps a session alive past its lifetime by refreshing it every few hours", async () => {
    const jar = new Jar();
    const signedInAt = Date.now() - 13 * HOUR_MS;
    vi.useFakeTimers({ toFake: ["Date"], now: signedInAt });
    try {
      await demoSignIn(options, jar, "admin", PASSWORD);
      expect(jar.session).toBeDefined();
      // Six hours in: the browser's refresh re-seals the cookie with a fresh expiry.
      vi.setSystemTime(signedInAt + 6 * HOUR_MS);
      await refreshSession(options, jar);
      const refreshed = jar.sessionCookie();
      expect(await get(tokens, "tokens", refreshed)).toBe(200);
      // Twelve hours and a minute in: past the lifetime from sign-in, refreshing renews nothing.
      vi.setSystemTime(signedInAt + 12 * HOUR_MS + 60_000);
      const late = await refreshSession(options, jar);
      expect(late.body).toEqual({});
      expect(jar.session).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
    // The cookie re-sealed six hours in has not expired as a JWT, but the session has.
    expect(await get(tokens, "tokens", jar.sessionCookie())).toBe(401);
    const stolen = await (async () => {
      const again = new Jar();
      vi.useFakeTimers({ toFake: ["Date"], now: signedInAt });
      try {
        await demoSignIn(options, again, "dev", PASSWORD);
        vi.setSystemTime(signedInAt + 11 * HOUR_MS);
        await refreshSession(options, again);
        return again.sessionCookie();
      } finally {
        vi.useRealTimers();
      }
    })();
    expect(await get(apps, "apps", stolen)).toBe(401);
    expect(await visit("/", stolen)).toEqual({
      status: 307,
      location: `${AUTH_ORIGIN}/signin?callbackUrl=%2F`,
    });
  });

  it("a thief keeps using a copied cookie after its owner signs out", async () => {
    const jar = new Jar();
    await demoSignIn(options, jar, "admin", PASSWORD);
    const stolen = jar.sessionCookie();
    expect(await get(tokens, "tokens", stolen)).toBe(200);
    expect((await visit("/approvals", stolen)).status).toBe(200);

    await signOut(options, jar);
    expect(jar.session).toBeUndefined();
    expect(await get(tokens, "tokens", stolen)).toBe(401);
    expect(await visit("/approvals", stolen)).toMatchObject({ status: 307 });
    // Nor does next-auth re-seal it into a fresh cookie.
    const thief = new Jar();
    thief.values.set("next-auth.session-token", stolen.split("=")[1]!);
    expect((await refreshSession(options, thief)).body).toEqual({});
    expect(thief.session).toBeUndefined();

    // Signing in again makes a new session that works.
    const fresh = new Jar();
    await demoSignIn(options, fresh, "admin", PASSWORD);
    expect(await get(tokens, "tokens", fresh.sessionCookie())).toBe(200);
  });

  it("a person an administrator disabled goes on with their session, and signs in again", async () => {
    const jar = new Jar();
    await demoSignIn(options, jar, "operator", PASSWORD);
    const cookie = jar.sessionCookie();
    expect(await get(apps, "apps", cookie)).toBe(200);

    const disabled = userCommand(["disable", "operator"]);
    expect(disabled.stderr).toBe("");
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toMatch(
      /^disabled operator@demo\.shiplog\.invalid \(id .+\); their sessions have ended$/,
    );
    // Another process made the change: this one sees it within seconds (STANDING_REUSE_MS).
    expect(
      await until(
        () => get(apps, "apps", cookie),
        (status) => status === 401,
      ),
    ).toBe(401);
    expect((await visit("/", cookie)).status).toBe(307);

    const again = new Jar();
    const refused = await demoSignIn(options, again, "operator", PASSWORD);
    expect(refused.redirect).toBe(`${AUTH_ORIGIN}/signin?error=AccountDisabled`);
    expect(again.session).toBeUndefined();

    const { rows } = await pool.query<{ actor: string; action: string; outcome: string }>(
      `select actor, action, outcome from audit_log
        where action in ('user.disable', 'user.enable') or (action = 'auth.sign_in' and outcome = 'failure')
        order by id`,
    );
    expect(rows).toEqual([
      { actor: expect.stringMatching(/^cli/), action: "user.disable", outcome: "success" },
      { actor: "operator@demo.shiplog.invalid", action: "auth.sign_in", outcome: "failure" },
    ]);

    expect(userCommand(["enable", "operator"]).code).toBe(0);
    const back = new Jar();
    await demoSignIn(options, back, "operator", PASSWORD);
    expect(await get(apps, "apps", back.sessionCookie())).toBe(200);
    // The session from before the disabling stays over.
    expect(await get(apps, "apps", cookie)).toBe(401);
  });

  it("someone removed from the admin group keeps admin through the session they already had", async () => {
    const idToken = (groups: string[]) => ({
      sub: "ex-admin",
      preferred_username: "ex-admin",
      name: "Ex Admin",
      email: "ex-admin@corp.example",
      email_verified: true,
      groups,
    });
    const before = await oidcSignIn(config, idToken(["staff", "platform-admins"]));
    expect(await get(tokens, "tokens", before.cookie)).toBe(200);
    // The identity provider drops the group; the person signs in again on another machine.
    const after = await oidcSignIn(config, idToken(["staff"]));
    expect(await get(tokens, "tokens", after.cookie)).toBe(403);
    expect(await get(tokens, "tokens", before.cookie)).toBe(401);
  });
});
