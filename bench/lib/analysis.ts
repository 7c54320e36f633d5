// "Where the time goes", written from the measurements only: the ingest's SQL by statement, the
// CPU each read cost per request (server, Postgres, load generator), one request alone with its
// SQL round trips, and what EXPLAIN ANALYZE says Postgres itself spent.
import os from "node:os";
import type { IngestFigures } from "../ingest";
import type { Pair, ReadFigures } from "../read";
import type { Breakdown, Explained } from "./read-profile";
import { int, ms } from "./targets";

export type PlanTiming = { label: string; statement: string; planning: number; execution: number };

const number = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);

/** A short name for a statement: its CTEs, verb and tables, and the columns its WHERE tests. */
export function statementName(sql: string): string {
  const flat = sql
    .replace(/"public"\./g, "")
    .replace(/"/g, "")
    .replace(/\s+/g, " ");
  const ctes = [...flat.matchAll(/(?:\bwith|,)\s+([a-z_]+) as \(/gi)].map((m) => m[1]);
  const tables = [
    ...new Set([...flat.matchAll(/\b(?:from|join)\s+([a-z_]+)/gi)].map((m) => m[1])),
  ].filter((t) => !ctes.includes(t));
  if (ctes.length > 0) return `with ${ctes.join(", ")}: select ${tables.join(", ")}`;
  const where = /\bwhere\b(.*?)(?:\border by\b|\blimit\b|\boffset\b|$)/i.exec(flat)?.[1] ?? "";
  const columns = [
    ...new Set(
      [...where.matchAll(/\b[a-z_]+\.([a-z_]+)(?:::text)?\s*(?:=|>=|<|in\b|is\b|like\b)/gi)].map(
        (m) => m[1],
      ),
    ),
  ];
  const part = /committed_at IS NULL/i.test(where)
    ? " (undated part)"
    : /committed_at <=/i.test(where)
      ? " (after a cursor)"
      : "";
  return `select ${tables.join(", ")}${columns.length ? ` by ${columns.join(", ")}` : ""}${part}`;
}

export function planTimings(explains: Explained[]): PlanTiming[] {
  return explains.map((e) => ({
    label: e.label,
    statement: statementName(e.sql),
    planning: number(e.plan, /Planning Time: ([\d.]+) ms/),
    execution: number(e.plan, /Execution Time: ([\d.]+) ms/),
  }));
}

export function ingestAnalysis(ingest: IngestFigures): string {
  const batches = Math.ceil(ingest.events / ingest.batch);
  const calls = ingest.statements.reduce((sum, s) => sum + s.calls, 0);
  const top = ingest.statements
    .slice(0, 5)
    .map((s) => `\`${s.statement}\` ${int(s.ms)} ms over ${int(s.calls)} calls`)
    .join("; ");
  const busy = ingest.shiplog.nodeCpuMs;
  return [
    `Shiplog's ingest of ${int(ingest.events)} events took ${int(ingest.shiplog.ms)} ms in ${batches} batches of ${ingest.batch},`,
    `with ${int(calls)} SQL round trips (${(calls / batches).toFixed(0)} per batch and the COPY that stages its objects, against 5 for the raw path, its COPY included). Batches go in`,
    `as the watchers write a backlog: in order, two in flight, the next one's objects streamed (COPY) into a`,
    `staging table while the one before holds the ingest lock. The Node process was busy ${int(busy)} ms of the run`,
    `(${((busy / ingest.shiplog.ms) * 100).toFixed(0)} %: JSON encoding of each batch, correlation, commit summaries and the driver); Postgres`,
    `worked on the other core. By statement, as the driver timed them (two batches' statements overlap, and`,
    `the lock statement's time is mostly the wait for the batch before): ${top}.`,
    `The raw path wrote the same rows in ${int(ingest.raw.ms)} ms. Not in these figures: the timeline keeper, which`,
    `beside ingest stores each commit's timeline once it settles (see Reads for its rate).`,
  ].join(" ");
}

function cpuSentence(name: string, pair: Pair, concurrency: number): string {
  const cpu = pair.shiplog.cpuMsPerRequest;
  const total = cpu.server + (cpu.postgres ?? 0) + cpu.loadGenerator;
  const ceiling = (os.availableParallelism() * 1000) / total;
  const postgres =
    cpu.postgres === null
      ? "Postgres (not measured: not local)"
      : `${cpu.postgres.toFixed(1)} ms in the Postgres backends`;
  return [
    `${name}: each request cost ${cpu.server.toFixed(1)} ms of CPU in the Shiplog server process, ${postgres}`,
    `and ${cpu.loadGenerator.toFixed(1)} ms in the load generator (the bare server: ${pair.bare.cpuMsPerRequest.server.toFixed(1)} ms`,
    `server, ${pair.bare.cpuMsPerRequest.loadGenerator.toFixed(1)} ms load generator). ${total.toFixed(1)} ms of CPU per request on`,
    `${os.availableParallelism()} cores caps throughput near ${int(ceiling)} req/s before any other work on the machine; it ran at`,
    `${int(pair.shiplog.perSecond)} req/s, so with ${concurrency} requests in flight a request mostly waits for a core`,
    `(${concurrency} / ${int(pair.shiplog.perSecond)} req/s ≈ ${ms((concurrency / pair.shiplog.perSecond) * 1000)} mean; measured ${ms(pair.shiplog.mean)}).`,
  ].join(" ");
}

function profileSentence(name: string, pair: Pair): string {
  const p = pair.serverProfile;
  const prisma = p.components
    .filter((c) => c.component.startsWith("Prisma"))
    .reduce((sum, c) => sum + c.share, 0);
  const top = p.components
    .slice(0, 4)
    .map(
      (c) =>
        `${c.component} ${(c.share * p.busyMsPerRequest).toFixed(1)} ms (${(c.share * 100).toFixed(0)} %)`,
    )
    .join(", ");
  return [
    `Inside the server (V8 sampling profile of a separate pass of ${int(p.requests)} ${name} requests): ${p.busyMsPerRequest.toFixed(1)} ms`,
    `busy per request — ${top}.`,
    prisma > 0
      ? `Prisma (its WASM query compiler and its JS) is ${(prisma * 100).toFixed(0)} % of the server's CPU.`
      : `Prisma is not on the path (lib/db reads are plain SQL on the node-postgres pool).`,
  ].join(" ");
}

function aloneSentence(name: string, b: Breakdown, plans: PlanTiming[]): string {
  const top = b.queries
    .slice(0, 3)
    .map(
      (q) =>
        `${statementName(q.sql)} ${((q.mean * q.calls) / b.samples).toFixed(1)} ms per request`,
    )
    .join(", ");
  const exec = Math.max(...plans.map((p) => p.execution));
  const plan = Math.max(...plans.map((p) => p.planning));
  return [
    `Alone (one request at a time, ${b.samples} samples) ${name} took ${ms(b.total.p50)} p50 / ${ms(b.total.p95)} p95 in the handler's`,
    `data path (lib/db, no HTTP or auth), over ${b.roundTrips.toFixed(1)} SQL round trips; their durations as the driver returns them`,
    `(driver and result decoding included; some run side by side) sum to ${(b.sqlShare * 100).toFixed(0)} % of it. The largest: ${top}.`,
    `EXPLAIN (ANALYZE, BUFFERS) of the`,
    `slowest instance of each statement puts Postgres's own execution at ≤ ${exec.toFixed(2)} ms and planning at ≤ ${plan.toFixed(2)} ms`,
    `(lib/db sends named prepared statements, so a connection parses each statement once and plans it`,
    `once it settles on a generic plan).`,
  ].join(" ");
}

export function readAnalysis(read: ReadFigures): string[] {
  const plans = planTimings(read.profile.explains);
  const paragraphs = [
    cpuSentence("Timeline", read.timeline, read.concurrency),
    profileSentence("timeline", read.timeline),
    aloneSentence(
      "a timeline",
      read.profile.timeline,
      plans.filter((p) => p.label === "timeline"),
    ),
    cpuSentence("Commit list", read.list, read.concurrency),
    profileSentence("list", read.list),
    aloneSentence(
      "a list page",
      read.profile.list,
      plans.filter((p) => p.label === "list"),
    ),
  ];
  return paragraphs;
}
