// `npm run token` against a fresh database: create prints the token alone on its last line and
// that token authenticates; list shows it without the secret; revoke ends it.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateToken, TOKEN_REUSE_MS } from "@/lib/auth/tokens";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";

const root = path.resolve(import.meta.dirname, "..");
let database: TestDatabase;
let pool: pg.Pool;

function token(args: string[], databaseUrl = database.url) {
  const result = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    ["scripts/token.ts", ...args],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: databaseUrl,
      } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  return {
    code: result.status,
    lines: result.stdout.trimEnd().split("\n"),
    stdout: result.stdout,
    stderr: result.stderr.trim(),
  };
}

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 2);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe("npm run token", () => {
  it("creates, lists and revokes a token that authenticates until it is revoked", async () => {
    const created = token([
      "create",
      "--name",
      "ci-deploy",
      "--role",
      "operator",
      "--expires",
      "30d",
    ]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const secret = created.lines.at(-1)!;
    expect(secret).toMatch(/^shl_[A-Za-z0-9_-]{43}$/);
    expect(created.lines[0]).toMatch(
      /^created token "ci-deploy" \(id [0-9a-f-]{36}, role operator, expires \d{4}-\d\d-\d\dT\d\d:\d\dZ\)$/,
    );

    const principal = await authenticateToken(pool, secret);
    expect(principal).toMatchObject({
      kind: "token",
      name: "ci-deploy",
      roles: ["viewer", "operator"],
    });

    const listed = token(["list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(secret);
    const row = listed.lines.find((line) => line.includes("ci-deploy"))!.split("\t");
    expect(row.slice(0, 5)).toEqual([
      principal.id,
      "ci-deploy",
      "operator",
      "active",
      `${secret.slice(0, 12)}…`,
    ]);
    expect(row[5]).toMatch(/^created .* by cli:/);
    expect(row[7]).toMatch(/^last used \d{4}-/);

    const revoked = token(["revoke", "--id", principal.id]);
    expect(revoked).toMatchObject({ code: 0, stderr: "" });
    expect(revoked.lines).toEqual([`revoked token "ci-deploy" (id ${principal.id})`]);
    // Another process revoked it: this one stops reusing what it found within TOKEN_REUSE_MS.
    const afterReuse = new Date(Date.now() + TOKEN_REUSE_MS + 1);
    await expect(authenticateToken(pool, secret, afterReuse)).rejects.toMatchObject({
      status: 401,
    });
    expect(
      token(["list"])
        .lines.find((l) => l.includes("ci-deploy"))
        ?.split("\t")[3],
    ).toBe("revoked");

    const again = token(["revoke", "--id", principal.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`token: token ${principal.id} is already revoked`);
  });

  it("refuses bad input with one line and exit code 2", () => {
    const badRole = token(["create", "--name", "x", "--role", "root"]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr.split("\n")[0]).toBe(
      "token: --role must be one of viewer, approver, operator, admin",
    );
    const badExpiry = token(["create", "--name", "x", "--role", "viewer", "--expires", "soon"]);
    expect(badExpiry).toMatchObject({
      code: 2,
      stderr: "token: --expires must be a duration such as 12h, 30d or 2w (at most 5 years)",
    });
    expect(token(["create", "--nmae", "x"]).code).toBe(2);
    expect(token([]).code).toBe(2);
    expect(token(["list"], "mysql://db/x")).toMatchObject({
      code: 2,
      stderr:
        "shiplog: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL",
    });
  });
});
