// Read latency: Shiplog's read API (the app's own route handlers, behind an API token) on a
// database of `commits` commits, against a bare node:http server replaying the same bytes with
// no database, and a one-query server reading those bytes from the same Postgres (one round trip
// per request). Same request list, same concurrency, same load generator, loopback only.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { copyRows } from "../lib/db/copy";
import { loadReadDataset, type Dataset } from "./lib/bulk-load";
import { runScript, startServer, type Server } from "./lib/children";
import { freshBenchDatabase } from "./lib/database";
import { drive, summarize, type Latency, type Reply } from "./lib/load";
import { listPaths, timelinePaths, walkListPages } from "./lib/mix";
import { summarizeCpuProfile, type Component, type CpuProfile } from "./lib/cpu-profile";
import { control, measurePhase, type CpuSplit, type Phase } from "./lib/phase";
import type { Profile } from "./lib/read-profile";

export type Side = Latency & { cpuMsPerRequest: CpuSplit; loadAverage: number };
/** The Shiplog server's busy CPU time per request by component, from a separate profiled pass. */
export type ServerProfile = { requests: number; busyMsPerRequest: number; components: Component[] };
export const SERVERS = ["shiplog", "bare", "oneQuery"] as const;
export type ServerName = (typeof SERVERS)[number];
/** Every server's figures over all rounds, and each round's p95 (ms) of each. */
export type Pair = Record<ServerName, Side> & {
  rounds: Record<ServerName, number>[];
  bytes: number;
  serverProfile: ServerProfile;
};
export type ReadFigures = {
  dataset: Dataset;
  /** Requests per endpoint and server in each round. */
  requests: number;
  rounds: number;
  concurrency: number;
  timeline: Pair;
  list: Pair;
  mismatches: number;
  profile: Profile;
  /** The timeline keeper's start-up pass over the loaded data (bench/lib/store-timelines.ts). */
  stored: { timelines: number; seconds: number };
};

const root = path.resolve(import.meta.dirname, "..");
const WARM_UP = 300;
const PROFILED = 500;

/** A viewer token through the public command (`npm run token`), as an API client would get one. */
async function viewerToken(url: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    "npm",
    ["run", "--silent", "token", "--", "create", "--name", "bench", "--role", "viewer"],
    { cwd: root, env: { ...process.env, DATABASE_URL: url } },
  );
  const token = stdout.trim().split("\n").at(-1)?.trim();
  if (!token) throw new Error(`npm run token printed no token:\n${stdout}`);
  return token;
}

function requireOk(what: string, statuses: Record<number, number>) {
  const ok = statuses[200] ?? 0;
  const total = Object.values(statuses).reduce((s, n) => s + n, 0);
  // A 7-character prefix may match two of 100k commits (a 400, as the API documents): rare.
  if (ok < total * 0.98) throw new Error(`${what}: too few 200s ${JSON.stringify(statuses)}`);
}

/** A separate pass with the V8 profiler on (it slows the server, so it is not the measured one). */
async function profiledPass(
  port: number,
  paths: string[],
  options: { concurrency: number; headers: Record<string, string> },
): Promise<ServerProfile> {
  await control(port, "/__profile/start");
  await drive(port, paths, options);
  const { busyMs, components } = summarizeCpuProfile(
    await control<CpuProfile>(port, "/__profile/stop"),
  );
  return { requests: paths.length, busyMsPerRequest: busyMs / paths.length, components };
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** One side's phases (equal request counts) as one: every latency pooled, CPU and load averaged. */
function side(phases: Phase[]): Side {
  const run = {
    latencies: phases.flatMap((p) => p.run.latencies),
    seconds: phases.reduce((sum, p) => sum + p.run.seconds, 0),
    statuses: {} as Record<number, number>,
  };
  for (const p of phases) {
    for (const [status, n] of Object.entries(p.run.statuses)) {
      run.statuses[Number(status)] = (run.statuses[Number(status)] ?? 0) + n;
    }
  }
  const cpu = phases.map((p) => p.cpuMsPerRequest);
  const postgres = cpu.map((c) => c.postgres);
  return {
    ...summarize(run),
    cpuMsPerRequest: {
      server: mean(cpu.map((c) => c.server)),
      postgres: postgres.some((v) => v === null) ? null : mean(postgres as number[]),
      loadGenerator: mean(cpu.map((c) => c.loadGenerator)),
    },
    loadAverage: mean(phases.map((p) => p.loadAverage)),
  };
}

type Sides = Omit<Pair, "bytes" | "serverProfile">;
type Target = { port: number; options: Parameters<typeof measurePhase>[2] };

/**
 * The measured runs: `rounds` rounds, each sending every endpoint's requests to every server, one
 * after the other, the server that goes first rotating by round — a shared machine's slower and
 * faster moments then fall on all of them alike.
 */
async function rotate(
  targets: Record<ServerName, Target>,
  paths: { timeline: string[]; list: string[] },
  rounds: number,
): Promise<{ timeline: Sides; list: Sides }> {
  const empty = () => ({ shiplog: [] as Phase[], bare: [] as Phase[], oneQuery: [] as Phase[] });
  const phases = { timeline: empty(), list: empty() };
  for (let round = 0; round < rounds; round++) {
    const order = SERVERS.map((_, k) => SERVERS[(k + round) % SERVERS.length]);
    for (const endpoint of ["timeline", "list"] as const) {
      for (const server of order) {
        const { port, options } = targets[server];
        phases[endpoint][server].push(await measurePhase(port, paths[endpoint], options));
      }
    }
  }
  const sides = (of: Record<ServerName, Phase[]>): Sides => ({
    shiplog: side(of.shiplog),
    bare: side(of.bare),
    oneQuery: side(of.oneQuery),
    rounds: of.shiplog.map((_, k) => ({
      shiplog: summarize(of.shiplog[k].run).p95,
      bare: summarize(of.bare[k].run).p95,
      oneQuery: summarize(of.oneQuery[k].run).p95,
    })),
  });
  return { timeline: sides(phases.timeline), list: sides(phases.list) };
}

/** The captured replies as the one-query server reads them: one row per path. */
async function storeReplies(url: string, replies: Map<string, Reply>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      "create table bench_replies (path text primary key, status int, headers jsonb, body text)",
    );
    const rows = [...replies].map(([p, r]) => [p, r.status, r.headers, r.body.toString("utf8")]);
    await copyRows(
      client,
      "bench_replies",
      [
        ["path", "text"],
        ["status", "int4"],
        ["headers", "jsonb"],
        ["body", "text"],
      ],
      rows,
    );
    await client.query("vacuum analyze bench_replies");
  } finally {
    await client.end();
  }
}

async function stopping<T>(server: Server, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await server.stop();
  }
}

export async function benchRead(options: {
  commits: number;
  requests: number;
  rounds: number;
  concurrency: number;
  log: (line: string) => void;
}): Promise<ReadFigures> {
  const { commits, requests, rounds: roundCount, concurrency, log } = options;
  const db = await freshBenchDatabase("read");
  try {
    log(`loading ${commits} commits …`);
    const dataset = await loadReadDataset(db.url, commits, log);
    log("storing settled timelines (the timeline keeper's start-up pass) …");
    const kept = JSON.parse(
      await runScript("bench/lib/store-timelines.ts", { DATABASE_URL: db.url }),
    ) as { stored: number; seconds: number };
    const headers = { authorization: `Bearer ${await viewerToken(db.url)}` };
    const captured = new Map<string, Reply>();
    const replay = () =>
      Object.fromEntries(
        [...captured].map(([p, r]) => [
          p,
          { status: r.status, headers: r.headers, body: r.body.toString("base64") },
        ]),
      );
    const phase = { concurrency, headers, databaseUrl: db.url, onReply: () => {} };
    // The bare and one-query servers must answer with exactly the captured bytes.
    let mismatches = 0;
    const compare = (p: string, reply: Reply) => {
      if (!captured.get(p)?.body.equals(reply.body)) mismatches += 1;
    };
    const timeline = timelinePaths(requests, commits, 1);

    const shiplog = await startServer("bench/lib/read-server.ts", { DATABASE_URL: db.url });
    const measured = await stopping(shiplog, async () => {
      const warm = await drive(shiplog.port, timelinePaths(WARM_UP, commits, 99), phase);
      requireOk("warm-up", warm.statuses);
      const pages = await walkListPages(async (p) => {
        let reply: Reply | undefined;
        await drive(shiplog.port, [p], { concurrency: 1, headers, onReply: (_, r) => (reply = r) });
        return reply as Reply;
      });
      const list = listPaths(requests, pages, 2);
      // A first, unmeasured pass captures what the two baselines answer with: the same bytes, per
      // path (and warms every pooled connection's prepared statements).
      log("shiplog: capturing the replies …");
      const capture = { ...phase, onReply: (p: string, r: Reply) => captured.set(p, r) };
      requireOk("capture", (await drive(shiplog.port, [...timeline, ...list], capture)).statuses);
      await storeReplies(db.url, captured);
      const bare = await startServer("bench/lib/bare-server.ts", {}, JSON.stringify(replay()));
      const rounds = await stopping(bare, async () => {
        const oneQuery = await startServer("bench/lib/one-query-server.ts", {
          DATABASE_URL: db.url,
        });
        return stopping(oneQuery, async () => {
          for (const port of [bare.port, oneQuery.port]) {
            await drive(port, [...timeline, ...list].slice(0, WARM_UP), phase);
          }
          log(
            `all three: ${roundCount} rounds of timeline, then list, rotating which goes first …`,
          );
          const checked = { ...phase, onReply: compare };
          return rotate(
            {
              shiplog: { port: shiplog.port, options: phase },
              bare: { port: bare.port, options: { ...checked, databaseUrl: null } },
              oneQuery: { port: oneQuery.port, options: checked },
            },
            { timeline, list },
            roundCount,
          );
        });
      });
      log("shiplog: profiled pass …");
      const tp = await profiledPass(shiplog.port, timelinePaths(PROFILED, commits, 3), phase);
      const lp = await profiledPass(shiplog.port, list.slice(0, PROFILED), phase);
      return { list, rounds, tp, lp };
    });
    const { list, rounds } = measured;
    requireOk("shiplog timeline", rounds.timeline.shiplog.statuses);
    requireOk("shiplog list", rounds.list.shiplog.statuses);

    log("profiling the read queries …");
    const lists = [...new Set(list)].map((p) =>
      Object.fromEntries(new URL(p, "http://127.0.0.1").searchParams),
    );
    const shas = timelinePaths(200, commits, 7).map((p) => p.split("/").at(-1));
    const profile = JSON.parse(
      await runScript(
        "bench/lib/read-profile.ts",
        { DATABASE_URL: db.url },
        JSON.stringify({ shas, lists }),
      ),
    ) as Profile;

    const bytes = (paths: string[]) =>
      paths.reduce((sum, p) => sum + (captured.get(p)?.body.length ?? 0), 0) / paths.length;
    return {
      dataset,
      requests,
      concurrency,
      rounds: roundCount,
      timeline: { ...rounds.timeline, bytes: bytes(timeline), serverProfile: measured.tp },
      list: { ...rounds.list, bytes: bytes(list), serverProfile: measured.lp },
      mismatches,
      profile,
      stored: { timelines: kept.stored, seconds: kept.seconds },
    };
  } finally {
    if (process.env.BENCH_KEEP_DB) log(`kept ${db.url}`);
    else await db.drop();
  }
}
