// The simulator plays its scenario (two clusters, failures included) into Shiplog's ingest on real
// Postgres; every commit's timeline must then equal the simulator's ground truth. The same
// deliveries, duplicated and shuffled into a second database, must give the same timelines. Reads
// and the timeline keeper run throughout, so stored timelines meet every change the scenario makes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { startSimulator, type CommitTruth, type Simulator } from "@/sim";
import { createPrismaClient } from "../db/client";
import { createPool } from "../db/pool";
import {
  assembleTimelines,
  configuredLinkBases,
  getCommitTimeline,
  linksKey,
} from "../db/timeline";
import { createHub, type Hub } from "../realtime/hub";
import { loadClusters } from "../k8s/kubeconfig";
import type { CommitTimeline } from "../timeline/types";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";
import { ingest, type Incoming } from "./store";
import { startWatchers, type Watchers } from "./watchers";
import { startTimelineKeeper, type TimelineKeeper } from "./timeline-keeper";
import { pollHarborOnce } from "./harbor-poll";
import { HarborClient } from "../harbor/client";

const HARBOR_SECRET = "Bearer sim-harbor-secret";
const GIT_SECRET = "sim-git-secret";

let sim: Simulator;
let receiver: WebhookReceiver;
let watchers: Watchers;
let keeper: { hub: Hub; timelines: TimelineKeeper };
let live: { database: TestDatabase; pool: pg.Pool };
const deliveries: Incoming[][] = [];

const record = (pool: pg.Pool, batch: Incoming[]) => {
  deliveries.push(structuredClone(batch));
  return ingest(pool, batch);
};

const FINAL = new Set(["succeeded", "failed", "cancelled", "approved", "rejected", "expired"]);
function settled(commit: CommitTruth): boolean {
  return (
    commit.builds.every((b) => FINAL.has(b.status)) &&
    commit.pipelineRuns.every((p) => FINAL.has(p.status)) &&
    commit.gates.every((g) => FINAL.has(g.status)) &&
    commit.deploys.every((d) => FINAL.has(d.status)) &&
    commit.artifacts.every((a) => a.scan.status !== "running")
  );
}

/** Severity counts in one fixed order, so two sources compare as text. */
function counts(value: unknown): string {
  if (!value || typeof value !== "object") return "none";
  const c = value as Record<string, number>;
  return ["critical", "high", "medium", "low", "unknown"].map((k) => `${k}=${c[k]}`).join(",");
}

const GATE_STATUS: Record<string, string> = {
  pending: "waiting",
  approved: "succeeded",
  rejected: "failed",
  expired: "failed",
  cancelled: "cancelled",
};

/** What the truth says each commit's timeline shows, one line per stage. */
function expected(commit: CommitTruth): string[] {
  return [
    ...commit.builds.map((b) => `build ${b.name} ${b.status} ${b.digest ?? "-"}`),
    ...commit.artifacts.map((a) => `image ${a.digest}`),
    ...commit.artifacts
      .filter((a) => a.scan.status !== "pending")
      .map((a) => `scan ${a.digest} ${a.scan.status} ${counts(a.scan.counts)}`),
    ...commit.pipelineRuns.map((p) => `${p.stage} ${p.name} ${p.status} ${p.environment}`),
    ...commit.gates.map(
      (g) => `approval ${g.name} ${GATE_STATUS[g.status] ?? g.status} ${g.environment}`,
    ),
  ].sort();
}

/** The same projection of a timeline Shiplog assembled. */
function shown(timeline: CommitTimeline, withDeploys = true): string[] {
  return timeline.stages
    .filter((s) => s.stage !== "source" && (withDeploys || s.stage !== "deploy"))
    .map((s) => {
      const d = s.details as Record<string, unknown>;
      switch (s.stage) {
        case "build":
          return `build ${s.resource?.name} ${s.status} ${d.digest ?? "-"}`;
        case "image":
          return `image ${d.digest}`;
        case "scan":
          return `scan ${s.resource?.name.split("@")[1]} ${s.status} ${counts(d.counts)}`;
        case "approval":
          return `approval ${s.resource?.name} ${s.status} ${s.environment}`;
        case "deploy":
          return `deploy ${d.application} ${s.status} ${s.environment} ${d.revision}`;
        default:
          return `${s.stage} ${s.resource?.name} ${s.status} ${s.environment}`;
      }
    })
    .sort();
}

async function timelines(
  url: string,
  commits: CommitTruth[],
  withDeploys = false,
): Promise<Map<string, string[]>> {
  const client = createPrismaClient(url);
  try {
    const out = new Map<string, string[]>();
    for (const commit of commits)
      out.set(
        commit.sha,
        shown(await getCommitTimeline(commit.sha, commit.app, client), withDeploys),
      );
    return out;
  } finally {
    await client.$disconnect();
  }
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "shiplog-sim-"));
  const database = await freshDatabase();
  live = { database, pool: createPool(database.url, 4) };
  receiver = await startWebhookReceiver({ harbor: HARBOR_SECRET, git: GIT_SECRET }, (batch) =>
    record(live.pool, batch),
  );
  const base = receiver.url;
  sim = await startSimulator({
    seed: 11,
    dir: path.resolve(".shiplog/sim-test"),
    kubeconfig: path.join(dir, "kubeconfig"),
    webhookBase: base,
    harborWebhookSecret: HARBOR_SECRET,
    gitWebhookSecret: GIT_SECRET,
    timeScale: 0.05,
    onlyCommits: 8,
    decideGates: "approve",
    rates: { build: 0.2, rebuild: 0.3, test: 0.3, degraded: 0.2, scanFailure: 0.1 },
  });
  const clusters = loadClusters({
    kubeconfig: sim.kubeconfigPath as string,
    contexts: [
      { context: "staging", environment: "staging" },
      { context: "production", environment: "production" },
    ],
  });
  watchers = startWatchers({
    clusters,
    namespaces: [],
    pool: live.pool,
    log: { info() {}, warn() {}, error() {} },
    batchMs: 20,
    store: record,
  });
  const quietHub = { info() {}, warn() {} };
  const hub = createHub(live.pool, quietHub, { retryMs: 100 });
  keeper = {
    hub,
    timelines: startTimelineKeeper({ pool: live.pool, hub, log: quietHub, delayMs: 50 }),
  };
  // A browser's reads while the releases run: every settled timeline read is stored, and must
  // give way to the next change.
  let playing = true;
  const reading = (async () => {
    while (playing) {
      for (const commit of sim.truth().commits)
        await getCommitTimeline(commit.sha, commit.app, live.pool).catch(() => null);
      await compareStored();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await sim.player.done;
  const deadline = Date.now() + 90_000;
  while (!sim.truth().commits.every(settled)) {
    if (Date.now() > deadline) throw new Error("the scenario did not settle within 90 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  playing = false;
  await reading;
  // What a webhook lost (its retries ran out on a busy machine) the reconcile poll brings in, as
  // it does in production every minute.
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const client = new HarborClient({
    url: sim.harbor.url,
    username: "admin",
    password: "Harbor12345",
  });
  await pollHarborOnce({ client, pool: live.pool, log: quiet, pageSize: 100 });
}, 180_000);

/** Each stored timeline (this server's deep-link settings) beside its commit assembled afresh now. */
async function storedAndFresh() {
  const bases = configuredLinkBases();
  const { rows } = await live.pool.query<{
    id: bigint;
    gen: bigint;
    current: bigint;
    sha: string;
    body: string;
  }>(
    `select t.commit_id as id, t.gen, c.timeline_gen as current, c.sha, t.body
       from commit_timelines t join commits c on c.id = t.commit_id where t.links_key = $1`,
    [linksKey(bases)],
  );
  const fresh = await assembleTimelines(
    live.pool,
    rows.map((r) => r.id),
    new Date(),
    bases,
  );
  return rows.map((stored) => ({ stored, fresh: fresh.find((f) => f.id === stored.id) }));
}

/**
 * Every stored timeline against the same commit assembled afresh now. One statement reads a
 * commit's rows with its generation, so where the generations agree the timelines must too:
 * a change that did not move the generation shows here.
 */
const storedChecks = { compared: 0, differed: [] as string[] };
async function compareStored() {
  for (const { stored, fresh } of await storedAndFresh()) {
    if (!fresh || fresh.gen !== stored.gen) continue;
    storedChecks.compared += 1;
    if (fresh.body !== stored.body) storedChecks.differed.push(`${stored.sha} at ${stored.gen}`);
  }
}

async function reconcileHarbor(pool: pg.Pool) {
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const client = new HarborClient({
    url: sim.harbor.url,
    username: "admin",
    password: "Harbor12345",
  });
  await pollHarborOnce({ client, pool, log: quiet, pageSize: 100 });
}

/** Shiplog is eventually consistent: the last watch events land a moment after the cluster settles. */
async function converged(
  url: string,
  commits: CommitTruth[],
  timeoutMs = 30_000,
): Promise<Map<string, string[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await timelines(url, commits);
    if (
      commits.every((c) => JSON.stringify(got.get(c.sha)) === JSON.stringify(expected(c))) ||
      Date.now() > deadline
    )
      return got;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

afterAll(async () => {
  await watchers?.stop();
  await keeper?.timelines.stop();
  await keeper?.hub.close();
  await sim?.close();
  await receiver?.close();
  await live?.pool.end();
  await live?.database.drop();
});

describe("Shiplog against the simulator", () => {
  it("played a scenario with failures in both clusters", () => {
    const commits = sim.truth().commits.filter((c) => !c.bootstrap);
    expect(commits.length).toBe(8);
    expect(commits.some((c) => c.deploys.some((d) => d.environment === "production"))).toBe(true);
    expect(commits.flatMap(expected).some((line) => / failed /.test(line))).toBe(true);
  });

  it("shows for every commit exactly the stages, statuses and links the simulator made", async () => {
    const commits = sim.truth().commits.filter((c) => !c.bootstrap);
    const got = await converged(live.database.url, commits);
    for (const commit of commits)
      expect({ sha: commit.sha, stages: got.get(commit.sha) }).toEqual({
        sha: commit.sha,
        stages: expected(commit),
      });
  });

  it("never kept a timeline that a change had made out of date without moving its generation", () => {
    expect(storedChecks.compared).toBeGreaterThan(0);
    expect(storedChecks.differed).toEqual([]);
  });

  it("stores every settled timeline exactly as it would be assembled afresh", async () => {
    const commits = sim.truth().commits.filter((c) => !c.bootstrap);
    await converged(live.database.url, commits);
    await keeper.timelines.idle();
    const current = (await storedAndFresh()).filter(({ stored }) => stored.gen === stored.current);
    expect(current.map(({ stored }) => stored.sha)).toEqual(
      expect.arrayContaining(commits.map((c) => c.sha)),
    );
    for (const { stored, fresh } of current)
      expect({ sha: stored.sha, timeline: JSON.parse(stored.body) }).toEqual({
        sha: stored.sha,
        timeline: fresh?.timeline,
      });
  });

  it("gives the same timelines when every delivery comes twice, in shuffled order", async () => {
    const commits = sim.truth().commits.filter((c) => !c.bootstrap);
    const replay = await freshDatabase();
    const pool = createPool(replay.url, 4);
    try {
      const doubled = [...deliveries, ...deliveries];
      let state = 5;
      const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let i = doubled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [doubled[i], doubled[j]] = [doubled[j], doubled[i]];
      }
      for (const batch of doubled) await ingest(pool, batch);
      await reconcileHarbor(pool);
      const original = await timelines(live.database.url, commits);
      const replayed = await timelines(replay.url, commits);
      expect(Object.fromEntries(replayed)).toEqual(Object.fromEntries(original));
    } finally {
      await pool.end();
      await replay.drop();
    }
  });
});
