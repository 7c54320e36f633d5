import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function start(env: Record<string, string>) {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe("npm start with bad configuration", () => {
  it.each([
    [
      { DATABASE_URL: "mysql://root@db/x" },
      "shiplog: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL",
    ],
    [{}, "shiplog: configuration error: DATABASE_URL is required (a postgres:// URL)"],
    [
      { DATABASE_URL: "postgresql://db/x", PORT: "99999" },
      "shiplog: configuration error: PORT must be between 1 and 65535",
    ],
    [
      { DATABASE_URL: "postgresql://db/x", PORT: "web" },
      "shiplog: configuration error: PORT must be a whole number",
    ],
  ])("%j stops with one line and exit code 2", (env, line) => {
    const result = start(env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(line);
    expect(result.stdout).toBe("");
  });
});
