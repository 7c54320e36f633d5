import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/config";
import { describeStartupError } from "./demo-errors";

/** The error Node raises when a program cannot be executed (as initdb under /root). */
function spawnError(): Promise<Error> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "shiplog-demo-"));
  const program = path.join(dir, "initdb");
  writeFileSync(program, "not executable", { mode: 0o644 });
  return new Promise((resolve) => {
    spawn(program).on("error", (error) => {
      rmSync(dir, { recursive: true, force: true });
      resolve(error);
    });
  });
}

describe("describeStartupError", () => {
  it("turns spawn EACCES into one line saying what to do", async () => {
    const error = await spawnError();
    const line = describeStartupError(error);
    expect(line).toMatch(/^\[demo\] failed: permission denied running \/.+\/initdb: /);
    expect(line).toContain("set DATABASE_URL to a Postgres you run");
    expect(line).not.toContain("\n");
  });

  it("names a port in use", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const error = await new Promise<Error>((resolve) => {
      const second = net.createServer();
      second.once("error", resolve);
      second.listen(port, "127.0.0.1");
    });
    taken.close();
    expect(describeStartupError(error)).toBe(
      `[demo] failed: port ${port} is in use: stop what listens there, or set PORT to another port`,
    );
  });

  it("gives a configuration error its own line", () => {
    expect(describeStartupError(new ConfigError("PORT", "must be a whole number"))).toBe(
      "shiplog: configuration error: PORT must be a whole number",
    );
  });

  it("keeps only the first line of anything else", () => {
    expect(describeStartupError(new Error("embedded Postgres exited\n  at x (y.js:1)"))).toBe(
      "[demo] failed: embedded Postgres exited",
    );
  });
});
