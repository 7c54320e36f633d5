// Ingest throughput: Shiplog's whole path (dedupe, upsert, transitions, correlation, summaries,
// events) against plain batched writes (COPY and INSERT) of the same rows into the same Postgres.
import { copyRows } from "../lib/db/copy";
import { createPool, transaction } from "../lib/db/pool";
import { ingestInOrder, type Incoming } from "../lib/ingest/store";
import { RESOURCE_COLUMNS, resourceRow, resourceValues } from "../lib/ingest/resources";
import { MAX_BATCH } from "../lib/ingest/watchers";
import { releaseEvents } from "./lib/synthetic";
import { freshBenchDatabase } from "./lib/database";
import { timeQueries, type StatementCost } from "./lib/query-timer";

export type IngestFigures = {
  releases: number;
  events: number;
  batch: number;
  /** `nodeCpuMs`: the CPU time of this (Node) process during the run; Postgres ran the rest. */
  shiplog: { ms: number; eventsPerSecond: number; links: number; nodeCpuMs: number };
  /** Where Shiplog's ingest spent its time: SQL round trips by statement (the rest is JS). */
  statements: StatementCost[];
  raw: { ms: number; eventsPerSecond: number; rows: number };
  ratio: number;
  /** Alternating runs of each path; the figures are each path's median run. */
  rounds: number;
  /** Every run's time, in the order they ran, for the spread. */
  runs: { shiplog: number[]; raw: number[] };
};

// Batches as the watchers write a backlog.
const BATCH = MAX_BATCH;

async function timeShiplog(events: Incoming[]) {
  const db = await freshBenchDatabase("ingest_shiplog");
  const pool = createPool(db.url, 4);
  const statements = timeQueries(pool);
  try {
    const start = performance.now();
    const cpu = process.cpuUsage();
    // As the watchers write a backlog: in order, two batches in flight (lib/ingest/watchers.ts).
    const write = ingestInOrder(pool);
    let previous: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < events.length; i += BATCH) {
      const current = write(events.slice(i, i + BATCH));
      await previous;
      previous = current;
    }
    await previous;
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const nodeCpuMs = (used.user + used.system) / 1000;
    const spent = statements();
    const links = Number(
      (await pool.query<{ n: bigint }>("select count(*) as n from links")).rows[0].n,
    );
    return { ms, links, statements: spent, nodeCpuMs };
  } finally {
    await pool.end();
    await db.drop();
  }
}

/**
 * The same resources, commits and artifacts written plainly, each batch in one transaction: the
 * resource rows streamed with COPY (as Shiplog stages them), an INSERT each for commits and artifacts.
 */
async function timeRaw(events: Incoming[]) {
  const db = await freshBenchDatabase("ingest_raw");
  const pool = createPool(db.url, 4);
  const now = new Date();
  let rows = 0;
  try {
    await pool.query("insert into apps (id, name) values (1, 'bench')");
    const start = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const resources = batch
        .filter((e) => e.observation.system !== "git" && e.observation.system !== "harbor")
        // Every event a row of its own: the raw path keeps no state (no upsert, no dedupe).
        .map((e, n) => ({
          ...resourceRow({ ...e, object: e.object ?? null, deleted: false }, now),
          uid: `${i}-${n}`,
        }));
      const commits = batch
        .filter((e) => e.observation.system === "git")
        .map((e) => ({ sha: e.observation.revision?.sha, message: "x" }));
      const artifacts = batch
        .filter((e) => e.observation.system === "harbor")
        .map((e) => ({ repository: e.observation.repository, digest: e.observation.digests[0] }));
      await transaction(pool, async (client) => {
        await copyRows(client, "resources", RESOURCE_COLUMNS, resources.map(resourceValues));
        await client.query(
          "insert into commits (app_id, sha, message, updated_at) select 1, v.sha, v.message, now() from jsonb_to_recordset($1::jsonb) as v(sha text, message text)",
          [JSON.stringify(commits)],
        );
        await client.query(
          "insert into artifacts (project, repository, digest, updated_at) select 'shop', v.repository, v.digest, now() from jsonb_to_recordset($1::jsonb) as v(repository text, digest text)",
          [JSON.stringify(artifacts)],
        );
      });
      rows += resources.length + commits.length + artifacts.length;
    }
    return { ms: performance.now() - start, rows };
  } finally {
    await pool.end();
    await db.drop();
  }
}

/** The run with the median time (the lower middle one for an even count). */
function median<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
}

export async function benchIngest(releases: number, rounds = 3): Promise<IngestFigures> {
  const events = Array.from({ length: releases }, (_, i) => releaseEvents(i)).flat();
  // Warm-up of both paths: JIT, Postgres caches and the schema validation paths, on a small run.
  await timeShiplog(events.slice(0, 700));
  await timeRaw(events.slice(0, 700));
  // The two paths alternate, so that a busy moment on a shared machine falls on both alike.
  const shiplogRuns: Awaited<ReturnType<typeof timeShiplog>>[] = [];
  const rawRuns: Awaited<ReturnType<typeof timeRaw>>[] = [];
  for (let round = 0; round < rounds; round++) {
    shiplogRuns.push(await timeShiplog(events));
    rawRuns.push(await timeRaw(events));
  }
  const shiplog = median(shiplogRuns);
  const raw = median(rawRuns);
  const perSecond = (ms: number) => Math.round((events.length / ms) * 1000);
  return {
    releases,
    events: events.length,
    batch: BATCH,
    shiplog: {
      ms: Math.round(shiplog.ms),
      eventsPerSecond: perSecond(shiplog.ms),
      links: shiplog.links,
      nodeCpuMs: Math.round(shiplog.nodeCpuMs),
    },
    statements: shiplog.statements,
    raw: { ms: Math.round(raw.ms), eventsPerSecond: perSecond(raw.ms), rows: raw.rows },
    ratio: raw.ms / shiplog.ms,
    rounds,
    runs: {
      shiplog: shiplogRuns.map((r) => Math.round(r.ms)),
      raw: rawRuns.map((r) => Math.round(r.ms)),
    },
  };
}
