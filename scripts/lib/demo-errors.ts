// One line for a person when the demo cannot start: what went wrong and what to do. Pure.
import { describeConfigError } from "../../lib/config";

type SystemError = Error & { code?: string; syscall?: string; path?: string; port?: number };

export function describeStartupError(error: unknown): string {
  const config = describeConfigError(error);
  if (config) return config;
  const e = (error instanceof Error ? error : new Error(String(error))) as SystemError;
  if (e.code === "EACCES" && e.syscall?.startsWith("spawn")) {
    return `[demo] failed: permission denied running ${e.path ?? "a program"}: the embedded Postgres runs as the OS user postgres, which must reach it; move the checkout somewhere others can enter, or set DATABASE_URL to a Postgres you run`;
  }
  if (e.code === "EADDRINUSE") {
    const port = e.port ? `port ${e.port}` : "a port";
    return `[demo] failed: ${port} is in use: stop what listens there, or set PORT to another port`;
  }
  const first = e.message.split("\n")[0].trim() || e.name;
  return `[demo] failed: ${first}`;
}
