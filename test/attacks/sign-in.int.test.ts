// Attacks on who may sign in at all (SHIPLOG_ROLE_GROUPS viewer=), each performed end to end:
// a single sign-on with the ID token an identity provider would send (next-auth's profile, then
// Shiplog's signIn and jwt callbacks), the demo users through next-auth's own handler, then the
// cookie against the API's route handlers, on a real database. Named after what the attacker tries.
import type { NextAuthOptions } from "next-auth";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "@/lib/config";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { demoSignIn, Jar, AUTH_ORIGIN } from "@/test/next-auth-flow";
import { OIDC_ENV, oidcSignIn, SignInRefused } from "@/test/sign-in";

type Handler = (request: Request, context: unknown) => Promise<Response>;
const PASSWORD = "attack-demo-password";
let database: TestDatabase;
let pool: pg.Pool;
let config: Config;
let options: NextAuthOptions;
let apps: Handler;

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 2);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: "sign-in-attacks-test-secret-".padEnd(48, "x"),
    AUTH_URL: AUTH_ORIGIN,
    LOG_LEVEL: "silent",
    SHIPLOG_DEMO: "true",
    SHIPLOG_DEMO_PASSWORD: PASSWORD,
    ...OIDC_ENV,
    // Only staff (or a group of a higher role) may sign in at all.
    SHIPLOG_ROLE_GROUPS: "viewer=staff,approver=release-managers,admin=platform-admins",
  });
  config = loadConfig(process.env);
  options = (await import("@/lib/auth/options")).buildAuthOptions(config);
  apps = (await import("@/app/api/v1/apps/route")).GET as Handler;
});

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
  await pool?.end();
  await database?.drop();
});

async function get(handler: Handler, route: string, cookie: string) {
  const response = await handler(
    new Request(`${AUTH_ORIGIN}/api/v1/${route}`, { headers: { cookie } }),
    { params: Promise.resolve({}) },
  );
  return response.status;
}

describe("who may sign in", () => {
  it("someone the identity provider knows but who is in no allowed group signs in as a viewer", async () => {
    const outsider = {
      sub: "contractor-7",
      preferred_username: "contractor-7",
      name: "Contractor",
      email: "c7@elsewhere.example",
      email_verified: true,
      groups: ["contractors"],
    };
    const refused = await oidcSignIn(config, outsider).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SignInRefused);
    expect((refused as SignInRefused).redirect).toBe(
      `${AUTH_ORIGIN}/signin?error=NotInViewerGroup`,
    );
    // Nothing was recorded for them but the refusal.
    const users = await pool.query("select 1 from users where username = 'contractor-7'");
    expect(users.rows).toEqual([]);
    const audit = await pool.query<{ outcome: string; details: { reason: string } }>(
      "select outcome, details from audit_log where actor = 'c7@elsewhere.example'",
    );
    expect(audit.rows).toEqual([
      {
        outcome: "failure",
        details: {
          provider: "oidc",
          reason: "in none of the viewer= groups of SHIPLOG_ROLE_GROUPS",
        },
      },
    ]);

    // A member of staff, and a release manager outside staff, sign in.
    const staff = await oidcSignIn(config, { ...outsider, sub: "s1", groups: ["staff"] });
    expect(await get(apps, "apps", staff.cookie)).toBe(200);
    const manager = await oidcSignIn(config, {
      ...outsider,
      sub: "rm1",
      email: "rm1@corp.example",
      groups: ["release-managers"],
    });
    expect(await get(apps, "apps", manager.cookie)).toBe(200);
  });

  it("the demo users still sign in when viewer= groups are set", async () => {
    for (const user of ["dev", "approver", "admin"]) {
      const jar = new Jar();
      await demoSignIn(options, jar, user, PASSWORD);
      expect(await get(apps, "apps", jar.sessionCookie())).toBe(200);
    }
  });
});
