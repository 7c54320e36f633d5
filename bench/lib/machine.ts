// The machine a benchmark ran on, for RESULTS.md: CPU model and cores, memory, Node and Postgres
// versions, and the load average (other work on the machine makes figures noisy).
import { readFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import { benchPostgres } from "./database";

export type Machine = {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  postgresSettings: string;
};

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line?.split(":")[1].trim() ?? os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

export async function describeMachine(): Promise<Machine> {
  const { adminUrl } = await benchPostgres();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const version = await client.query<{ v: string }>(
      "select current_setting('server_version') as v",
    );
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      `select name, setting, unit from pg_settings
        where name in ('shared_buffers', 'work_mem', 'synchronous_commit', 'max_connections')
        order by name`,
    );
    return {
      cpu: cpuModel(),
      cores: os.availableParallelism(),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: version.rows[0].v,
      postgresSettings: settings.rows
        .map((s) =>
          s.unit === "8kB"
            ? `${s.name}=${(Number(s.setting) * 8) / 1024}MB`
            : `${s.name}=${s.setting}${s.unit ?? ""}`,
        )
        .join(", "),
    };
  } finally {
    await client.end();
  }
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(" / ");
