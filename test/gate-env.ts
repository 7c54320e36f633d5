// Test-only: Shiplog wired to the simulator on a fresh database — webhooks feeding ingest, and two
// app "replicas" (each its own pool) competing for the leader lock that runs the cluster work as
// the app runs it: the watchers, and the step-log keeper and gate controller they feed. Helpers
// read the simulator's write log over HTTP (/_sim/writes).
import https from "node:https";
import pg from "pg";
import { inject } from "vitest";
import { startTestSimulator, type TestSimulator } from "@/sim/test-support";
import type { SimulatorOptions } from "@/sim";
import type { WriteEntry } from "@/sim/kube/write-log";
import { ROLES, type Role } from "@/lib/auth/roles";
import { createToken } from "@/lib/auth/tokens";
import { createPool } from "@/lib/db/pool";
import { HarborClient } from "@/lib/harbor/client";
import { startHarborPoll } from "@/lib/ingest/harbor-poll";
import { ingest } from "@/lib/ingest/store";
import { runAsLeader, type Leadership } from "@/lib/ingest/leader";
import { startClusterWork } from "@/lib/ingest/cluster-work";
import { loadClusters, type ClusterConnection } from "@/lib/k8s/kubeconfig";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { startWebhookReceiver } from "@/test/webhook-receiver";

const HARBOR_SECRET = "Bearer gates-harbor-secret";
const GIT_SECRET = "gates-git-secret";
export const quiet = { info() {}, warn() {}, error() {}, debug() {} };

export type Replica = { pool: pg.Pool; leadership: Leadership };

export type TestEnv = {
  sim: TestSimulator;
  database: TestDatabase;
  /** The pool the webhooks ingest with; the leader's watchers write with its own. */
  pool: pg.Pool;
  replicas: [Replica, Replica];
  clusters: ClusterConnection[];
  writes(filter: Record<string, string>): Promise<WriteEntry[]>;
  close(): Promise<void>;
};

/**
 * `tickMs`: the controller's retry/expiry poll; a long one leaves decisions to NOTIFY alone.
 * `namespaces`: the namespaces the watchers watch (default: all), as SHIPLOG_NAMESPACES does.
 */
export async function startTestEnv(
  options: SimulatorOptions,
  { tickMs = 250, namespaces = [] }: { tickMs?: number; namespaces?: string[] } = {},
): Promise<TestEnv> {
  const database = await freshDatabase();
  const pool = createPool(database.url, 4);
  const hook = await startWebhookReceiver({ harbor: HARBOR_SECRET, git: GIT_SECRET }, (batch) =>
    ingest(pool, batch),
  );
  // A webhook the simulator gave up on (a busy machine) is what the Harbor poll is for; any other
  // error the simulator logs fails the test at close.
  const simErrors: string[] = [];
  const sim = await startTestSimulator({
    webhookBase: hook.url,
    harborWebhookSecret: HARBOR_SECRET,
    gitWebhookSecret: GIT_SECRET,
    logger: (entry) => {
      if (entry.level === "error" && entry.msg !== "webhook given up")
        simErrors.push(JSON.stringify(entry));
    },
    ...options,
  });
  const harborPoll = startHarborPoll({
    client: new HarborClient({ url: sim.harbor.url, username: "admin", password: "Harbor12345" }),
    pool,
    log: quiet,
    intervalMs: 1000,
  });
  const clusters = loadClusters({
    kubeconfig: sim.kubeconfigPath,
    contexts: [
      { context: "staging", environment: "staging" },
      { context: "production", environment: "production" },
    ],
  });
  const replica = (): Replica => {
    const own = createPool(database.url, 12);
    const inner = runAsLeader({
      pool: own,
      log: quiet,
      retryMs: 300,
      start: () =>
        startClusterWork({
          clusters,
          namespaces,
          pool: own,
          log: quiet,
          batchMs: 20,
          gateTickMs: tickMs,
        }),
    });
    // A test may stop a replica before close() does: stop once.
    let stopping: Promise<void> | undefined;
    const leadership: Leadership = {
      isLeader: () => inner.isLeader(),
      status: () => inner.status(),
      stop: () => (stopping ??= inner.stop()),
    };
    return { pool: own, leadership };
  };
  const replicas: [Replica, Replica] = [replica(), replica()];
  return {
    sim,
    database,
    pool,
    replicas,
    clusters,
    writes: (filter) =>
      new Promise((resolve, reject) => {
        const query = new URLSearchParams(filter).toString();
        https
          .get(`${sim.kube.url}/_sim/writes?${query}`, { ca: sim.kube.certs.caPem }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve(JSON.parse(text) as WriteEntry[]));
          })
          .on("error", reject);
      }),
    async close() {
      for (const r of replicas) await r.leadership.stop();
      await harborPoll.stop();
      await sim.close();
      await hook.close();
      for (const r of replicas) await r.pool.end();
      await pool.end();
      await closed(database.name);
      await database.drop();
      if (simErrors.length)
        throw new Error(`the simulator logged errors:\n${simErrors.join("\n")}`);
    },
  };
}

/**
 * Waits until no connection to the database is left: pool.end() resolves before its connections
 * have closed, and dropping the database then would end them with an error.
 */
async function closed(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  try {
    await until(
      async () => {
        const { rows } = await admin.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = $1",
          [name],
        );
        return rows[0].n === 0;
      },
      "the test database's connections to close",
      5000,
    ).catch(() => {});
  } finally {
    await admin.end();
  }
}

export async function until<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Points the app's own modules (config, the shared pool) at this environment's database, as a
 * route handler under test reads them, and makes an API token of each role (made by an admin).
 */
export async function serveAsApp(
  env: TestEnv,
  name: string,
  extra: Record<string, string> = {},
): Promise<Record<Role, string>> {
  Object.assign(process.env, {
    DATABASE_URL: env.database.url,
    AUTH_SECRET: `${name}-test-secret-`.padEnd(48, "x"),
    AUTH_URL: "http://localhost",
    LOG_LEVEL: "silent",
    ...extra,
  });
  // Made by a signed-in admin, as on /admin/tokens: their gate decisions count as that person's.
  await env.pool.query(
    `insert into users (id, username, name, email, email_verified, roles)
     values ('u-token-maker', 'token-maker', 'Token Maker', 'token-maker@example.com', now(), '{admin}')
     on conflict (id) do nothing`,
  );
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES)
    tokens[role] = (
      await createToken(env.pool, {
        name: `t-${role}`,
        role,
        actor: "token-maker@example.com",
        madeBy: "u-token-maker",
      })
    ).token;
  return tokens;
}
