// Read latency: Shiplog's read API (the app's own route handlers, behind an API token) on a
// database of `commits` commits, against a bare node:http server replaying the same bytes with
// no database. Same request list, same concurrency, same load generator, loopback only.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
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
export type Pair = { shiplog: Side; bare: Side; bytes: number; serverProfile: ServerProfile };
export type ReadFigures = {
  dataset: Dataset;
  requests: number;
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

const side = (phase: Phase): Side => ({
  ...summarize(phase.run),
  cpuMsPerRequest: phase.cpuMsPerRequest,
  loadAverage: phase.loadAverage,
});

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
  concurrency: number;
  log: (line: string) => void;
}): Promise<ReadFigures> {
  const { commits, requests, concurrency, log } = options;
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
    const phase = { concurrency, headers, databaseUrl: db.url, onReply: () => {} };
    const timeline = timelinePaths(requests, commits, 1);

    const shiplog = await startServer("bench/lib/read-server.ts", { DATABASE_URL: db.url });
    const { list, s } = await stopping(shiplog, async () => {
      const warm = await drive(shiplog.port, timelinePaths(WARM_UP, commits, 99), phase);
      requireOk("warm-up", warm.statuses);
      const pages = await walkListPages(async (p) => {
        let reply: Reply | undefined;
        await drive(shiplog.port, [p], { concurrency: 1, headers, onReply: (_, r) => (reply = r) });
        return reply as Reply;
      });
      const list = listPaths(requests, pages, 2);
      log("shiplog: timeline, then list …");
      // The measured runs capture what the bare server will replay: the same bytes, per path.
      const capture = { ...phase, onReply: (p: string, r: Reply) => captured.set(p, r) };
      const t = await measurePhase(shiplog.port, timeline, capture);
      const l = await measurePhase(shiplog.port, list, capture);
      log("shiplog: profiled pass …");
      const tp = await profiledPass(shiplog.port, timelinePaths(PROFILED, commits, 3), phase);
      const lp = await profiledPass(shiplog.port, list.slice(0, PROFILED), phase);
      return { list, s: { t, l, tp, lp } };
    });
    requireOk("shiplog timeline", s.t.run.statuses);
    requireOk("shiplog list", s.l.run.statuses);

    const replay = Object.fromEntries(
      [...captured].map(([p, r]) => [
        p,
        { status: r.status, headers: r.headers, body: r.body.toString("base64") },
      ]),
    );
    let mismatches = 0;
    const compare = (p: string, reply: Reply) => {
      if (!captured.get(p)?.body.equals(reply.body)) mismatches += 1;
    };
    const bare = await startServer("bench/lib/bare-server.ts", {}, JSON.stringify(replay));
    const b = await stopping(bare, async () => {
      log("bare: timeline, then list …");
      await drive(bare.port, timeline.slice(0, WARM_UP), phase);
      const bareOptions = { ...phase, databaseUrl: null, onReply: compare };
      const t = await measurePhase(bare.port, timeline, bareOptions);
      const l = await measurePhase(bare.port, list, bareOptions);
      return { t, l };
    });

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
      timeline: {
        shiplog: side(s.t),
        bare: side(b.t),
        bytes: bytes(timeline),
        serverProfile: s.tp,
      },
      list: { shiplog: side(s.l), bare: side(b.l), bytes: bytes(list), serverProfile: s.lp },
      mismatches,
      profile,
      stored: { timelines: kept.stored, seconds: kept.seconds },
    };
  } finally {
    if (process.env.BENCH_KEEP_DB) log(`kept ${db.url}`);
    else await db.drop();
  }
}
