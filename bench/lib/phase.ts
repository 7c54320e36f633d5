// One measured phase of the read benchmark, with where its CPU went: the server process (its own
// process.cpuUsage, via GET /__cpu), the Postgres backends serving the benchmark database (from
// /proc, when Postgres runs on this machine) and the load generator (this process).
import { readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import pg from "pg";
import { drive, type Reply, type Run } from "./load";

export type CpuSplit = { server: number; postgres: number | null; loadGenerator: number };
export type Phase = { run: Run; cpuMsPerRequest: CpuSplit; loadAverage: number };

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** A control request to a benchmark server (GET /__cpu, /__profile/…): its JSON answer. */
export function control<T>(port: number, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve(JSON.parse(text) as T));
      })
      .on("error", reject);
  });
}

async function serverCpuMs(port: number): Promise<number> {
  const usage = await control<{ user: number; system: number }>(port, "/__cpu");
  return (usage.user + usage.system) / 1000;
}

/** CPU ms of each Postgres backend connected to the database, by pid (empty when not local). */
async function backendCpuMs(url: string | null): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (!url) return cpu;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
      } catch {
        return new Map(); // Postgres is not on this machine (or not visible): no figure.
      }
    }
    return cpu;
  } finally {
    await client.end();
  }
}

const sum = (values: Iterable<number>) => [...values].reduce((s, v) => s + v, 0);

export async function measurePhase(
  port: number,
  paths: string[],
  options: {
    concurrency: number;
    headers: Record<string, string>;
    databaseUrl: string | null;
    onReply: (path: string, reply: Reply) => void;
  },
): Promise<Phase> {
  const before = {
    server: await serverCpuMs(port),
    backends: await backendCpuMs(options.databaseUrl),
    self: process.cpuUsage(),
  };
  const run = await drive(port, paths, options);
  const self = process.cpuUsage(before.self);
  const server = await serverCpuMs(port);
  const backends = await backendCpuMs(options.databaseUrl);
  const postgres =
    options.databaseUrl && backends.size > 0
      ? sum([...backends].map(([pid, ms]) => ms - (before.backends.get(pid) ?? 0)))
      : null;
  const n = paths.length;
  return {
    run,
    cpuMsPerRequest: {
      server: (server - before.server) / n,
      postgres: postgres === null ? null : postgres / n,
      loadGenerator: (self.user + self.system) / 1000 / n,
    },
    loadAverage: os.loadavg()[0],
  };
}
