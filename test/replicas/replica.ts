// One Shiplog replica for the replicas test: the production server (`next start`, what
// scripts/start.ts runs and the image's entry point) in a process group of its own, so that a
// SIGKILL takes the whole replica down the way a killed pod goes. Its JSON log lines (pino) are
// kept in memory with the time they were written, and copied to a file to read after a failure.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

const root = path.resolve(import.meta.dirname, "../..");

export type LogLine = { time: number; level: number; msg: string; [field: string]: unknown };

export type Replica = {
  name: string;
  url: string;
  readonly lines: LogLine[];
  alive(): boolean;
  /** The first log line from `after` on that `match` accepts, waiting up to `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, after: number, timeoutMs: number): Promise<LogLine>;
  /** SIGKILL to the whole process group; resolves once the server process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (the server stops its watchers and exits), SIGKILL after 10 s. */
  stop(): Promise<void>;
};

export function startReplica(options: {
  name: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
}): Replica {
  const child: ChildProcess = spawn(
    path.join(root, "node_modules/.bin/next"),
    ["start", "-p", String(options.port), "-H", "127.0.0.1"],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env },
    },
  );
  const file = createWriteStream(options.logFile);
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (text) => {
      file.write(`${text}\n`);
      try {
        const line = JSON.parse(text) as LogLine;
        if (typeof line.msg === "string" && typeof line.time === "number") {
          lines.push(line);
          for (const wake of waiters) wake();
        }
      } catch {
        // Next.js's own start-up lines are plain text.
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  return {
    name: options.name,
    url: `http://127.0.0.1:${options.port}`,
    lines,
    alive,
    waitForLog(match, after, timeoutMs) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = lines.find((line) => line.time >= after && match(line));
          if (!found) return false;
          waiters.delete(look);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`${options.name}: no such log line within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!look()) waiters.add(look);
      });
    },
    async kill() {
      signal("SIGKILL");
      await exited;
      file.end();
    },
    async stop() {
      if (!alive()) return;
      const timer = setTimeout(() => signal("SIGKILL"), 10_000);
      signal("SIGTERM");
      await exited;
      clearTimeout(timer);
      file.end();
    },
  };
}
