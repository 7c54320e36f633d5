// API tokens, sign-in records and the audit log against a real database: token states, the
// throttled last-used time, one transaction per change and its audit record, user upserts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { listAudit } from "@/lib/audit";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { hashToken } from "./token-format";
import {
  authenticateToken,
  createToken,
  LAST_USED_EVERY_MS,
  listTokens,
  revokeToken,
  TOKEN_REUSE_MS,
} from "./tokens";
import { listUsers, recordFailedSignIn, recordSignIn } from "./users";

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 4);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const count = async (sql: string, values: unknown[] = []) =>
  Number((await pool.query<{ n: string }>(sql, values)).rows[0].n);

describe("API tokens", () => {
  it("stores only the hash and a prefix, and authenticates the token", async () => {
    const created = await createToken(pool, { name: "ci", role: "operator", actor: "cli:root" });
    expect(created.token).toMatch(/^shl_[A-Za-z0-9_-]{43}$/);
    const { rows } = await pool.query("select * from api_tokens where id = $1", [created.id]);
    expect(rows[0]).toMatchObject({
      name: "ci",
      role: "operator",
      hash: hashToken(created.token),
      prefix: created.token.slice(0, 12),
      created_by: "cli:root",
      expires_at: null,
      revoked_at: null,
    });
    expect(JSON.stringify(rows[0])).not.toContain(created.token);
    expect(await authenticateToken(pool, created.token)).toEqual({
      kind: "token",
      id: created.id,
      name: "ci",
      roles: ["viewer", "operator"],
      actor: "token:ci",
    });
  });

  it("writes the last use at most once a minute", async () => {
    const { id, token } = await createToken(pool, { name: "busy", role: "viewer", actor: "a" });
    const lastUsed = async () =>
      (
        await pool.query<{ last_used_at: Date | null }>(
          "select last_used_at from api_tokens where id = $1",
          [id],
        )
      ).rows[0].last_used_at;
    const t0 = new Date("2030-01-01T00:00:00Z");
    await authenticateToken(pool, token, t0);
    expect(await lastUsed()).toEqual(t0);
    await authenticateToken(pool, token, new Date(t0.getTime() + LAST_USED_EVERY_MS - 1000));
    expect(await lastUsed()).toEqual(t0);
    const later = new Date(t0.getTime() + LAST_USED_EVERY_MS);
    await authenticateToken(pool, token, later);
    expect(await lastUsed()).toEqual(later);
  });

  it("rejects unknown, expired and revoked tokens with 401 and the reason", async () => {
    await expect(authenticateToken(pool, `shl_${"z".repeat(43)}`)).rejects.toMatchObject({
      status: 401,
      message: "unknown API token",
    });
    const dayAgo = new Date(Date.now() - 86_400_000);
    const expired = await createToken(pool, {
      name: "old",
      role: "admin",
      lifetimeMs: 3_600_000,
      actor: "a",
      now: dayAgo,
    });
    await expect(authenticateToken(pool, expired.token)).rejects.toMatchObject({
      status: 401,
      message: `API token ${expired.prefix}… is expired`,
    });
    const revoked = await createToken(pool, { name: "gone", role: "admin", actor: "a" });
    await revokeToken(pool, { id: revoked.id, actor: "admin@x" });
    await expect(authenticateToken(pool, revoked.token)).rejects.toMatchObject({
      status: 401,
      message: `API token ${revoked.prefix}… is revoked`,
    });
  });

  it("reuses a token it found for a few seconds: a revocation elsewhere is seen after them, one here at once", async () => {
    const t0 = new Date();
    const later = (ms: number) => new Date(t0.getTime() + ms);
    const elsewhere = await createToken(pool, { name: "replica", role: "viewer", actor: "a" });
    await authenticateToken(pool, elsewhere.token, t0);
    // Revoked by another replica (or `npm run token -- revoke`): this process reuses what it found.
    await pool.query("update api_tokens set revoked_at = now() where id = $1", [elsewhere.id]);
    await expect(authenticateToken(pool, elsewhere.token, later(1_000))).resolves.toMatchObject({
      id: elsewhere.id,
    });
    await expect(
      authenticateToken(pool, elsewhere.token, later(TOKEN_REUSE_MS + 1)),
    ).rejects.toMatchObject({ status: 401, message: `API token ${elsewhere.prefix}… is revoked` });

    const here = await createToken(pool, { name: "local", role: "viewer", actor: "a" });
    await authenticateToken(pool, here.token, t0);
    await revokeToken(pool, { id: here.id, actor: "admin@x" });
    await expect(authenticateToken(pool, here.token, later(1))).rejects.toMatchObject({
      status: 401,
    });

    // Expiry is checked on every use, reused or not.
    const brief = await createToken(pool, {
      name: "brief",
      role: "viewer",
      lifetimeMs: 1_000,
      actor: "a",
      now: t0,
    });
    await authenticateToken(pool, brief.token, t0);
    await expect(authenticateToken(pool, brief.token, later(1_001))).rejects.toMatchObject({
      message: `API token ${brief.prefix}… is expired`,
    });
  });

  it("revokes once: 409 the second time, 404 for an unknown id", async () => {
    const { id } = await createToken(pool, { name: "twice", role: "viewer", actor: "a" });
    const revoked = await revokeToken(pool, { id, actor: "admin@x" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expect(revokeToken(pool, { id, actor: "admin@x" })).rejects.toMatchObject({
      status: 409,
      message: `token ${id} is already revoked`,
    });
    await expect(revokeToken(pool, { id: "nope", actor: "admin@x" })).rejects.toMatchObject({
      status: 404,
      message: "no token nope",
    });
    const tokens = await listTokens(pool);
    expect(tokens.find((t) => t.id === id)?.revokedAt).toEqual(revoked.revokedAt);
  });

  it("audits create and revoke with actor, target and outcome", async () => {
    const { id } = await createToken(pool, { name: "audited", role: "approver", actor: "cli:ops" });
    await revokeToken(pool, { id, actor: "admin@example.com" });
    const { rows } = await pool.query(
      "select actor, action, target, outcome, details from audit_log where target = $1 order by id",
      [`token:${id}`],
    );
    expect(rows).toEqual([
      {
        actor: "cli:ops",
        action: "token.create",
        target: `token:${id}`,
        outcome: "success",
        details: { name: "audited", role: "approver" },
      },
      {
        actor: "admin@example.com",
        action: "token.revoke",
        target: `token:${id}`,
        outcome: "success",
        details: { name: "audited", role: "approver" },
      },
    ]);
  });

  it("keeps no token when its audit record cannot be written (one transaction)", async () => {
    await pool.query(`
      create function refuse_audit() returns trigger language plpgsql as
        $$ begin raise exception 'audit refused'; end $$;
      create trigger refuse_audit before insert on audit_log
        for each row execute function refuse_audit();`);
    try {
      const before = await count("select count(*) as n from api_tokens");
      await expect(
        createToken(pool, { name: "orphan", role: "viewer", actor: "a" }),
      ).rejects.toThrow("audit refused");
      expect(await count("select count(*) as n from api_tokens")).toBe(before);
      expect(await count("select count(*) as n from api_tokens where name = 'orphan'")).toBe(0);
    } finally {
      await pool.query("drop trigger refuse_audit on audit_log; drop function refuse_audit();");
    }
  });
});

describe("sign-in records", () => {
  const identity = {
    provider: "oidc",
    subject: "sub-123",
    username: "dscully",
    name: "Dana Scully",
    email: "dana@example.com",
    groups: ["developers"],
    roles: ["viewer" as const],
  };

  it("creates the user once and refreshes groups, roles and last seen on later sign-ins", async () => {
    const { id: first, sessionVersion } = await recordSignIn(pool, identity);
    const second = await recordSignIn(pool, {
      ...identity,
      groups: ["developers", "sre"],
      roles: ["viewer", "operator"],
    });
    // New roles end the sessions sealed with the old ones.
    expect(second).toEqual({ id: first, sessionVersion: sessionVersion + 1 });
    const same = await recordSignIn(pool, {
      ...identity,
      groups: ["developers", "sre"],
      roles: ["viewer", "operator"],
    });
    expect(same).toEqual(second);
    const users = await listUsers(pool);
    expect(users.filter((u) => u.email === "dana@example.com")).toEqual([
      expect.objectContaining({
        id: first,
        name: "Dana Scully",
        roles: ["viewer", "operator"],
        groups: ["developers", "sre"],
        providers: ["oidc"],
        lastSeenAt: expect.any(Date),
      }),
    ]);
    const audit = await listAudit(pool, { actor: "dana@example.com", limit: 10 });
    expect(audit.items.map((r) => [r.action, r.target, r.outcome])).toEqual([
      ["auth.sign_in", `user:${first}`, "success"],
      ["auth.sign_in", `user:${first}`, "success"],
      ["auth.sign_in", `user:${first}`, "success"],
    ]);
    expect(audit.items[0].details).toEqual({
      provider: "oidc",
      roles: ["viewer", "operator"],
      groups: ["developers", "sre"],
    });
  });

  it("links a second provider by e-mail instead of making a twin", async () => {
    const { id: oidcUser } = await recordSignIn(pool, {
      ...identity,
      subject: "sub-link",
      email: "x@e.com",
    });
    const { id: demoUser } = await recordSignIn(pool, {
      ...identity,
      provider: "demo",
      subject: "x",
      email: "x@e.com",
    });
    expect(demoUser).toBe(oidcUser);
    const user = (await listUsers(pool)).find((u) => u.id === oidcUser);
    expect(user?.providers.sort()).toEqual(["demo", "oidc"]);
  });

  it("makes one user when the same first sign-in happens twice at once", async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(
        async () =>
          (await recordSignIn(pool, { ...identity, subject: "racer", email: null, name: "Racer" }))
            .id,
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await count("select count(*) as n from users where name = 'Racer'")).toBe(1);
  });

  it("records a failed sign-in with the name that was tried", async () => {
    await recordFailedSignIn(pool, {
      provider: "demo",
      name: "mallory",
      reason: "wrong user or password",
    });
    const page = await listAudit(pool, { actor: "mallory", limit: 5 });
    expect(page.items.map((r) => [r.action, r.outcome, r.details])).toEqual([
      ["auth.sign_in", "failure", { provider: "demo", reason: "wrong user or password" }],
    ]);
  });
});

describe("listAudit", () => {
  it("filters by action and time and pages newest first", async () => {
    for (const name of ["p1", "p2", "p3"]) {
      await createToken(pool, { name, role: "viewer", actor: "pager" });
    }
    const first = await listAudit(pool, { actor: "pager", action: "token.create", limit: 2 });
    expect(first.items.map((r) => r.details?.name)).toEqual(["p3", "p2"]);
    expect(first.nextBefore).toBe(first.items[1].id);
    const second = await listAudit(pool, {
      actor: "pager",
      limit: 2,
      before: BigInt(first.nextBefore!),
    });
    expect(second.items.map((r) => r.details?.name)).toEqual(["p1"]);
    expect(second.nextBefore).toBeNull();
    const future = await listAudit(pool, {
      actor: "pager",
      from: new Date(Date.now() + 60_000),
      limit: 5,
    });
    expect(future.items).toEqual([]);
    const past = await listAudit(pool, {
      actor: "pager",
      to: new Date(Date.now() - 3_600_000),
      limit: 5,
    });
    expect(past.items).toEqual([]);
    const now = await listAudit(pool, {
      actor: "pager",
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 3_600_000),
      limit: 5,
    });
    expect(now.items).toHaveLength(3);
  });
});
