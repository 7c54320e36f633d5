// Who may call what: every route under app/api/v1 (found on disk, so a new route without an
// entry in ACCESS fails here) × every method it exports × no credentials, a token of each role,
// a revoked, an expired and a malformed token, and a session cookie of each role (with the
// CSRF origin check on mutations). Handlers are called directly against a fresh database.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { createPool } from "@/lib/db/pool";
import { effectiveRoles, ROLES, type Role } from "@/lib/auth/roles";
import { sealSession } from "@/lib/auth/session";
import { createToken, listTokens, revokeToken } from "@/lib/auth/tokens";
import { createPrismaClient } from "@/lib/db/client";
import { seedTimeline } from "@/test/seed";
import { SHA } from "@/test/timeline-rows";
import { freshDatabase, type TestDatabase } from "@/test/database";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Access = Role | "public";

/** The access rule of every route and method; the filesystem must agree with it exactly. */
const ACCESS: Record<string, Partial<Record<Method, Access>>> = {
  apps: { GET: "viewer" },
  approvals: { GET: "viewer" },
  "approvals/[id]/decision": { POST: "approver" },
  commits: { GET: "viewer" },
  "commits/[sha]": { GET: "viewer" },
  "runs/[cluster]/[namespace]/[kind]/[name]": { GET: "viewer" },
  "runs/[cluster]/[namespace]/[kind]/[name]/logs": { GET: "viewer" },
  deployments: { GET: "viewer" },
  events: { GET: "viewer" },
  reruns: { POST: "operator" },
  "openapi.json": { GET: "public" },
  tokens: { GET: "admin", POST: "admin" },
  "tokens/[id]": { DELETE: "admin" },
};

/**
 * What an allowed call answers, where not 200 (GET) or 201 (POST). A re-run here reaches the
 * action past the role check and is refused for the cluster this test does not configure (400);
 * lib/actions/actions.int.test.ts runs re-runs for real against the simulator.
 */
const ALLOWED_STATUS: Record<string, number> = { "approvals/[id]/decision": 200, reruns: 400 };

const AUTH_URL = "http://localhost";
const SECRET = "matrix-test-secret-".padEnd(48, "x");

type Handler = (request: Request, context: unknown) => Promise<Response>;
let database: TestDatabase;
let pool: ReturnType<typeof createPool>;
let modules: Map<string, Record<string, unknown>>;
const tokens = {} as Record<Role | "revoked" | "expired", string>;
const cookies = {} as Record<Role, string>;
let closeHub: () => Promise<void>;

function routeDirs(dir: string, base = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (!statSync(full).isDirectory()) return [];
    const rel = base ? `${base}/${name}` : name;
    const here = readdirSync(full).includes("route.ts") ? [rel] : [];
    return [...here, ...routeDirs(full, rel)];
  });
}

/** A request each route accepts when allowed: real parameters, a valid body, a fresh target. */
async function call(route: string, method: Method, headers: Record<string, string>) {
  const handler = modules.get(route)![method] as Handler;
  let url = `${AUTH_URL}/api/v1/${route}`;
  let params: Record<string, string> = {};
  let body: string | undefined;
  if (route === "commits/[sha]") {
    url = `${AUTH_URL}/api/v1/commits/${SHA}`;
    params = { sha: SHA };
  }
  if (route.startsWith("runs/")) {
    // The seeded PipelineRun; its build TaskRun's first step has a kept log tail (beforeAll).
    params = { cluster: "ci", namespace: "ci", kind: "pipelineruns", name: "release-x7k2p" };
    url = `${AUTH_URL}/api/v1/runs/ci/ci/pipelineruns/release-x7k2p`;
    if (route.endsWith("/logs")) url += "/logs?group=release-x7k2p-build&step=step1";
  }
  if (route === "tokens/[id]") {
    const target = await createToken(pool, { name: "target", role: "viewer", actor: "test" });
    url = `${AUTH_URL}/api/v1/tokens/${target.id}`;
    params = { id: target.id };
  }
  if (route === "approvals/[id]/decision") {
    // A fresh pending gate that names no approvers and lets the author approve (the matrix is
    // about roles; separation of duties has its own tests): any approver (or admin) may decide it.
    const { rows } = await pool.query<{ id: string }>(
      `insert into gates (id, kind, cluster, namespace, name, uid, status, min_approvals,
                          author_may_decide)
       values (gen_random_uuid()::text, 'Approval', 'production', 'ci', 'gate',
               gen_random_uuid()::text, 'pending', 1, true) returning id`,
    );
    url = `${AUTH_URL}/api/v1/approvals/${rows[0]!.id}/decision`;
    params = { id: rows[0]!.id };
    body = JSON.stringify({ decision: "approve" });
    headers = { ...headers, "content-type": "application/json" };
  }
  if (route === "reruns") {
    body = JSON.stringify({
      system: "tekton",
      cluster: "nowhere",
      namespace: "ci",
      kind: "PipelineRun",
      name: "release-x7k2p",
    });
    headers = { ...headers, "content-type": "application/json" };
  }
  if (route === "tokens" && method === "POST") {
    body = JSON.stringify({ name: "made-by-matrix", role: "viewer", expires: "1d" });
    headers = { ...headers, "content-type": "application/json" };
  }
  const abort = new AbortController();
  const response = await handler(
    new Request(url, { method, headers, body, signal: abort.signal }),
    {
      params: Promise.resolve(params),
    },
  );
  // The event stream stays open; read its status, then hang up.
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    await response.body?.cancel();
    abort.abort();
  }
  return response;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookie = (role: Role, origin = AUTH_URL) => ({
  cookie: `next-auth.session-token=${cookies[role]}`,
  origin,
});

beforeAll(async () => {
  database = await freshDatabase();
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    AUTH_SECRET: SECRET,
    AUTH_URL,
  });
  pool = createPool(database.url, 4);
  const seeder = createPrismaClient(database.url);
  await seedTimeline(seeder, "payments");
  await seeder.$disconnect();
  await pool.query(
    `insert into step_logs (cluster, namespace, pod, container, resource_uid, step, tail)
     values ('ci', 'ci', 'test-pod-name', 'step-step1', 'uid-release-x7k2p-build', 'step1', 'kept')`,
  );
  for (const role of ROLES) {
    tokens[role] = (await createToken(pool, { name: `t-${role}`, role, actor: "test" })).token;
  }
  const revoked = await createToken(pool, { name: "t-revoked", role: "admin", actor: "test" });
  await revokeToken(pool, { id: revoked.id, actor: "test" });
  tokens.revoked = revoked.token;
  tokens.expired = (
    await createToken(pool, {
      name: "t-expired",
      role: "admin",
      lifetimeMs: 3_600_000,
      actor: "test",
      now: new Date(Date.now() - 2 * 3_600_000),
    })
  ).token;
  const config = loadConfig({ AUTH_SECRET: SECRET, AUTH_URL });
  for (const role of ROLES) {
    // A session holds only while its user's row agrees (lib/auth/standing.ts).
    await pool.query(
      `insert into users (id, username, name, email, roles) values ($1, $2, $2, $3, $4)`,
      [`u-${role}`, role, `${role}@example.com`, effectiveRoles([role])],
    );
    cookies[role] = await sealSession(
      {
        sub: `u-${role}`,
        username: role,
        name: role,
        email: `${role}@example.com`,
        roles: [role],
        provider: "demo",
      },
      config,
    );
  }
  modules = new Map();
  for (const route of routeDirs(import.meta.dirname)) {
    modules.set(
      route,
      await import(/* @vite-ignore */ path.join(import.meta.dirname, route, "route.ts")),
    );
  }
  closeHub = async () => (await import("@/lib/realtime")).hub().close();
});

afterAll(async () => {
  await closeHub?.();
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
  await pool.end();
  await database.drop();
});

const cases = () =>
  Object.entries(ACCESS).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, access]) => ({
      route,
      method: method as Method,
      access: access as Access,
    })),
  );

describe("the access matrix", () => {
  it("covers exactly the routes and methods on disk", () => {
    const onDisk = [...modules].flatMap(([route, mod]) =>
      METHODS.filter((m) => typeof mod[m] === "function").map((m) => `${m} ${route}`),
    );
    expect(onDisk.sort()).toEqual(
      cases()
        .map((c) => `${c.method} ${c.route}`)
        .sort(),
    );
  });

  it.each(cases())("$method $route without credentials", async ({ route, method, access }) => {
    const response = await call(route, method, {});
    if (access === "public") {
      expect(response.status).toBe(200);
      return;
    }
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="shiplog"');
    expect(await response.json()).toEqual({
      error: "sign in, or send an API token as Authorization: Bearer <token>",
    });
  });

  it.each(cases())(
    "$method $route with a token of each role",
    async ({ route, method, access }) => {
      for (const role of ROLES) {
        const response = await call(route, method, bearer(tokens[role]));
        const allowed =
          access === "public" || access === "viewer" || role === access || role === "admin";
        if (allowed && route in ALLOWED_STATUS) {
          expect(response.status, `${role} token`).toBe(ALLOWED_STATUS[route]);
        } else if (allowed) {
          expect(response.status, `${role} token`).toBeGreaterThanOrEqual(200);
          expect(response.status, `${role} token`).toBeLessThan(300);
        } else {
          expect(response.status, `${role} token`).toBe(403);
          expect(await response.json()).toEqual({
            error: `this needs the ${access} role; token "t-${role}" has ${
              role === "viewer" ? "viewer" : `viewer, ${role}`
            }`,
          });
        }
      }
    },
  );

  it.each(cases().filter((c) => c.access !== "public"))(
    "$method $route refuses revoked, expired and malformed tokens",
    async ({ route, method }) => {
      const revoked = await call(route, method, bearer(tokens.revoked));
      expect(revoked.status).toBe(401);
      expect(((await revoked.json()) as { error: string }).error).toMatch(
        /^API token shl_.{8}… is revoked$/,
      );
      const expired = await call(route, method, bearer(tokens.expired));
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { error: string }).error).toMatch(/ is expired$/);
      const malformed = await call(route, method, { authorization: "Bearer not-a-token" });
      expect(malformed.status).toBe(401);
      const basic = await call(route, method, {
        authorization: "Basic YWRtaW46YWRtaW4=",
        ...cookie("admin"),
      });
      expect(basic.status, "a bad Authorization header never falls back to the cookie").toBe(401);
    },
  );

  it.each(cases())(
    "$method $route with a session of each role",
    async ({ route, method, access }) => {
      for (const role of ROLES) {
        const response = await call(route, method, cookie(role));
        const allowed =
          access === "public" || access === "viewer" || role === access || role === "admin";
        expect(response.status, `${role} session`).toBe(
          allowed ? (ALLOWED_STATUS[route] ?? (method === "POST" ? 201 : 200)) : 403,
        );
      }
    },
  );
});

describe("refused changes are audited", () => {
  const refusable = () =>
    cases().filter((c) => c.method !== "GET" && c.access !== "public" && c.access !== "viewer");

  it.each(refusable())(
    "$method $route refused to a viewer leaves a denied record naming who and why",
    async ({ route, method, access }) => {
      const before = await pool.query<{ id: string }>("select max(id)::text as id from audit_log");
      const response = await call(route, method, bearer(tokens.viewer));
      expect(response.status).toBe(403);
      const { rows } = await pool.query<{
        actor: string;
        action: string;
        target: string;
        outcome: string;
        details: { reason: string };
      }>(
        `select actor, action, target, outcome, details from audit_log
          where id > coalesce($1::bigint, 0) and action = 'access.denied'`,
        [before.rows[0]!.id],
      );
      expect(rows).toEqual([
        {
          actor: "token:t-viewer",
          action: "access.denied",
          target: expect.stringMatching(new RegExp(`^${method} /api/v1/`)),
          outcome: "denied",
          details: { reason: `this needs the ${access} role; token "t-viewer" has viewer` },
        },
      ]);
    },
  );

  it("a refused read is not audited (reads change nothing)", async () => {
    const before = await pool.query<{ n: string }>("select count(*)::text as n from audit_log");
    expect((await call("tokens", "GET", bearer(tokens.viewer))).status).toBe(403);
    const after = await pool.query<{ n: string }>("select count(*)::text as n from audit_log");
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});

describe("cross-site requests with a session cookie", () => {
  const mutations = () => cases().filter((c) => c.method !== "GET");

  it.each(mutations())(
    "$method $route refuses another origin, even for admin",
    async ({ route, method }) => {
      const response = await call(route, method, cookie("admin", "https://evil.example"));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: "cross-site request refused: Origin https://evil.example is not http://localhost",
      });
      const noOrigin = await call(route, method, {
        cookie: `next-auth.session-token=${cookies.admin}`,
      });
      expect(noOrigin.status).toBe(403);
    },
  );

  it.each(mutations())(
    "$method $route lets a token through without an Origin",
    async ({ route, method }) => {
      const response = await call(route, method, {
        ...bearer(tokens.admin),
        origin: "https://evil.example",
      });
      expect(response.status).toBe(ALLOWED_STATUS[route] ?? (method === "POST" ? 201 : 200));
    },
  );

  it("lets a cross-site GET read (SameSite=Lax already keeps the cookie off other sites' requests)", async () => {
    const response = await call("apps", "GET", cookie("viewer", "https://evil.example"));
    expect(response.status).toBe(200);
  });
});

describe("token bookkeeping", () => {
  it("records the last use of a token that called the API", async () => {
    const used = (await listTokens(pool)).find((t) => t.name === "t-operator");
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
    const unused = await createToken(pool, { name: "idle", role: "viewer", actor: "test" });
    expect((await listTokens(pool)).find((t) => t.id === unused.id)?.lastUsedAt).toBeNull();
  });

  it("names the admin who created a token in its audit record", async () => {
    const { rows } = await pool.query(
      "select actor from audit_log where action = 'token.create' and details->>'name' = 'made-by-matrix' order by id",
    );
    expect(new Set(rows.map((r: { actor: string }) => r.actor))).toEqual(
      new Set(["token:t-admin", "admin@example.com"]),
    );
  });
});

describe("the guard for server actions and pages (Headers instead of a Request)", () => {
  const guard = () => import("@/lib/auth/guard");

  it("treats a server action (Next-Action header) as a mutation and checks its origin", async () => {
    const { requireRole } = await guard();
    const action = (origin: string) =>
      new Headers({ ...cookie("operator", origin), "next-action": "7f3a" });
    await expect(requireRole(action(AUTH_URL), "operator")).resolves.toMatchObject({
      kind: "user",
      actor: "operator@example.com",
    });
    await expect(requireRole(action("https://evil.example"), "operator")).rejects.toMatchObject({
      status: 403,
      message: "cross-site request refused: Origin https://evil.example is not http://localhost",
    });
    await expect(requireRole(action(AUTH_URL), "approver")).rejects.toMatchObject({
      status: 403,
      message: "this needs the approver role; operator@example.com has viewer, operator",
    });
  });

  it("lets a page render read without an Origin, and refuses without a session", async () => {
    const { requireRole } = await guard();
    const page = new Headers({ cookie: `next-auth.session-token=${cookies.admin}` });
    await expect(requireRole(page, "admin")).resolves.toMatchObject({ actor: "admin@example.com" });
    await expect(requireRole(new Headers(), "viewer")).rejects.toMatchObject({ status: 401 });
  });
});
