// The server entry (scripts/entries/server.ts, bundled as the image and `npm start` run it) stops
// on a bad configuration with one line and exit code 2 before Next loads; `npm start` without a
// build says to build first.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleEntries } from "./lib/build";

const root = path.resolve(import.meta.dirname, "..");
let dir: string;

beforeAll(async () => {
  // Inside the checkout, so that the bundles find next, pg and pino in its node_modules.
  mkdirSync(path.join(root, ".shiplog"), { recursive: true });
  dir = mkdtempSync(path.join(root, ".shiplog/entry-test-"));
  await bundleEntries(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(file: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [file], {
    cwd: path.dirname(file),
    env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

const good = {
  DATABASE_URL: "postgresql://db/x",
  AUTH_SECRET: "a-secret-of-at-least-thirty-two-characters",
  AUTH_URL: "https://shiplog.example.com",
};

describe("node server.js with bad configuration", () => {
  it.each([
    [
      { DATABASE_URL: "mysql://root@db/x" },
      "shiplog: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL",
    ],
    [{}, "shiplog: configuration error: DATABASE_URL is required (a postgres:// URL)"],
    [{ ...good, PORT: "99999" }, "shiplog: configuration error: PORT must be between 1 and 65535"],
    [{ ...good, PORT: "web" }, "shiplog: configuration error: PORT must be a whole number"],
    [
      { ...good, AUTH_SECRET: "short" },
      "shiplog: configuration error: AUTH_SECRET must be at least 32 characters in production",
    ],
  ])("%j stops with one line and exit code 2", (env, line) => {
    const result = node(path.join(dir, "server.js"), env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(line);
    expect(result.stdout).toBe("");
  });

  it("a good configuration without a build beside it says to build", () => {
    const result = node(path.join(dir, "server.js"), good);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `shiplog: no production build beside ${dir}/server.js: run npm run build first`,
    );
  });
});

describe("node migrate.js", () => {
  it("without DATABASE_URL stops with one line and exit code 2", () => {
    const result = node(path.join(dir, "migrate.js"), {});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "shiplog: configuration error: DATABASE_URL is required (a postgres:// URL)",
    );
  });

  it("with no migrations beside it stops with one line and exit code 1", () => {
    const result = node(path.join(dir, "migrate.js"), good);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `shiplog: migrations not applied: no migrations directory at ${dir}/prisma/migrations`,
    );
  });
});

describe("npm start", () => {
  it("without a build says to build first", () => {
    const checkout = mkdtempSync(path.join(os.tmpdir(), "shiplog-start-"));
    mkdirSync(path.join(checkout, "scripts"));
    copyFileSync(path.join(root, "scripts/start.mjs"), path.join(checkout, "scripts/start.mjs"));
    const result = node(path.join(checkout, "scripts/start.mjs"), good);
    rmSync(checkout, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "shiplog: no production build (.next/standalone/server.js): run npm run build first",
    );
  });
});
