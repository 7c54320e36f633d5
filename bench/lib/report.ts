// bench/RESULTS.md and the console summary: machine, date, command, every figure, the targets
// with PASS/MISS, and where the time goes (analysis.ts) with the query plans behind it.
import type { IngestFigures } from "../ingest";
import type { ReadFigures, Side } from "../read";
import { ingestAnalysis, planTimings, readAnalysis, statementName } from "./analysis";
import type { Machine } from "./machine";
import { evaluate, int, ms, TARGETS, type Target } from "./targets";

export type Run = {
  machine: Machine;
  started: Date;
  minutes: number;
  command: string;
  loadBefore: string;
  loadAfter: string;
  ingest: IngestFigures;
  read: ReadFigures;
};

const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");

const verdict = (t: Target) => (t.pass ? "PASS" : "**MISS**");

function latencyRows(name: string, pair: ReadFigures["timeline"]): string[][] {
  const row = (server: string, s: Side) => [
    name,
    server,
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.mean),
    int(s.perSecond),
    `${s.cpuMsPerRequest.server.toFixed(1)} / ${s.cpuMsPerRequest.postgres?.toFixed(1) ?? "–"} / ${s.cpuMsPerRequest.loadGenerator.toFixed(1)}`,
    s.loadAverage.toFixed(2),
  ];
  return [
    row("Shiplog", pair.shiplog),
    row("one query (node:http + Postgres)", pair.oneQuery),
    row("bare node:http", pair.bare),
  ];
}

/** Each round's p95 ratios, to show how much the figures move within one run. */
function roundsLine(name: string, pair: ReadFigures["timeline"]): string {
  const ratios = (of: (r: (typeof pair.rounds)[number]) => number) =>
    pair.rounds.map((r) => `${of(r).toFixed(1)}×`).join(", ");
  return `${name} p95, round by round — Shiplog vs bare: ${ratios((r) => r.shiplog / r.bare)}; one query vs bare: ${ratios((r) => r.oneQuery / r.bare)}.`;
}

/** How Shiplog's p95 compares with the one-query server's (what one database read costs). */
function oneQueryLine(name: string, pair: ReadFigures["timeline"]): string {
  const times = (a: Side, b: Side) => `${(a.p95 / b.p95).toFixed(1)}×`;
  return `${name}: the one-query server's p95 is ${times(pair.oneQuery, pair.bare)} the bare server's, Shiplog's ${times(pair.shiplog, pair.oneQuery)} the one-query server's.`;
}

function componentRows(read: ReadFigures): string[][] {
  const names = [
    ...new Set(
      [...read.timeline.serverProfile.components, ...read.list.serverProfile.components].map(
        (c) => c.component,
      ),
    ),
  ];
  const cell = (p: ReadFigures["timeline"]["serverProfile"], name: string) => {
    const c = p.components.find((x) => x.component === name);
    return c
      ? `${(c.share * p.busyMsPerRequest).toFixed(2)} ms (${(c.share * 100).toFixed(0)} %)`
      : "–";
  };
  return [
    ...names.map((n) => [
      n,
      cell(read.timeline.serverProfile, n),
      cell(read.list.serverProfile, n),
    ]),
    [
      "**busy per request**",
      `**${read.timeline.serverProfile.busyMsPerRequest.toFixed(2)} ms**`,
      `**${read.list.serverProfile.busyMsPerRequest.toFixed(2)} ms**`,
    ],
  ];
}

export function markdown(run: Run): string {
  const { machine: m, ingest, read } = run;
  const targets = evaluate(ingest, read);
  const d = read.dataset;
  const plans = planTimings(read.profile.explains);
  return `# Shiplog benchmarks

Written by \`${run.command}\` on ${run.started.toISOString()} (${run.minutes.toFixed(1)} minutes).

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory; Node ${m.node}; PostgreSQL ${m.postgres}
(${m.postgresSettings}), on the same machine. Load average (1/5/15 min) ${run.loadBefore} at the start and
${run.loadAfter} at the end: other engineers' tests share this machine, so every figure is noisy and
latency under load is pessimistic.

## Targets

${table(
  ["measure", "figure", "target", "result"],
  targets.map((t) => [t.measure, t.figure, t.target, verdict(t)]),
)}

## Ingest

${int(ingest.releases)} synthetic releases (bench/lib/synthetic.ts: Git push, kpack Build twice, Harbor push,
PipelineRun, TaskRun, Application) = ${int(ingest.events)} events in batches of ${ingest.batch}, each into a
fresh database. After a warm-up of both, the two paths ran ${ingest.rounds} times each, alternating; the
table shows each path's median run (all runs: Shiplog ${ingest.runs.shiplog.map(ms).join(", ")}; raw
${ingest.runs.raw.map(ms).join(", ")}).

${table(
  ["path", "time", "events/s", "rows / links"],
  [
    [
      "Shiplog ingest()",
      ms(ingest.shiplog.ms),
      int(ingest.shiplog.eventsPerSecond),
      `${int(ingest.shiplog.links)} links`,
    ],
    [
      "raw batched writes (COPY, INSERT)",
      ms(ingest.raw.ms),
      int(ingest.raw.eventsPerSecond),
      `${int(ingest.raw.rows)} rows`,
    ],
  ],
)}

## Reads

Data set (bench/lib/bulk-load.ts: one real-shaped release per outcome — ${d.templates
    .map(
      (t) =>
        `${t.outcome} (${t.resources} resources, ${t.links} links, ${t.transitions} transitions)`,
    )
    .join(
      ", ",
    )} — ingested through Shiplog's ingest(), then cloned set-based in SQL): ${int(d.commits)} commits
(${Object.entries(d.statuses)
    .map(([status, n]) => `${int(n)} ${status}`)
    .join(", ")}) over ${d.apps} apps, ${int(d.resources)} resources,
${int(d.artifacts)} artifacts, ${int(d.links)} links, ${int(d.transitions)} transitions, ${int(d.megabytes)} MB;
loaded in ${Object.values(d.seconds)
    .reduce((s, v) => s + v, 0)
    .toFixed(
      0,
    )} s (templates ${d.seconds.templates.toFixed(0)} s, clone ${d.seconds.clone.toFixed(0)} s, indexes
${d.seconds.indexes.toFixed(0)} s, vacuum ${d.seconds.vacuum.toFixed(0)} s). Then the timeline keeper's start-up pass (as a
leader runs it when it starts) assembled and stored the ${int(read.stored.timelines)} settled timelines in
${read.stored.seconds.toFixed(0)} s (${int(read.stored.timelines / read.stored.seconds)} per second): a timeline read answers with the stored JSON when it is
current, and assembles it otherwise (lib/db/timeline.ts).

${int(read.requests)} requests per endpoint and server in each of ${read.rounds} rounds (${int(read.requests * read.rounds)} in all), ${read.concurrency} in flight, keep-alive, loopback;
the three servers run side by side, and each round sends the timelines, then the lists, to each server in
turn, the first rotating by round, so that the shared machine's slower and faster moments fall on all
alike. The figures pool every round's requests. Timelines:
random commits, half by full SHA, half by 7-character prefix (avg ${int(read.timeline.bytes)} bytes). Lists:
first page, \`app\`, \`status\` (failed, running, succeeded), \`app\`+\`status\` (failed, running), 40 % of
them cursor pages 2–5 (avg ${int(read.list.bytes)} bytes).
Two baselines answer with the bytes Shiplog sent for each path in an unmeasured first pass: the bare
server from memory, and a one-query server (bench/lib/one-query-server.ts) that reads each reply from
the same Postgres by its path, in one round trip on a pool of 10 — what any server pays for one
database read per request (${read.mismatches} replies of either differed from the captured bytes).
${oneQueryLine("Timeline", read.timeline)}
${oneQueryLine("Commit list", read.list)}

${roundsLine("Timeline", read.timeline)}
${roundsLine("Commit list", read.list)}

${table(
  [
    "endpoint",
    "server",
    "p50",
    "p95",
    "p99",
    "mean",
    "req/s",
    "CPU ms/req server / Postgres / load gen.",
    "load avg",
  ],
  [...latencyRows("timeline", read.timeline), ...latencyRows("commit list", read.list)],
)}

## Where the time goes

${targets.slice(0, 2).some((t) => !t.pass) ? "**Ingest (target missed).** " : "**Ingest.** "}${ingestAnalysis(ingest)}

${targets.slice(2).some((t) => !t.pass) ? "**Reads (targets missed).**" : "**Reads.**"} ${readAnalysis(read).join("\n\n")}

The Shiplog server's CPU per request by component (V8 sampling profile of a separate, unmeasured pass;
native work such as socket writes and JSON parsing counts for the library that asked for it):

${table(["component", "timeline", "commit list"], componentRows(read))}

Postgres's own time per statement (EXPLAIN (ANALYZE, BUFFERS) of the slowest instance seen while profiling):

${table(
  ["endpoint", "statement", "planning", "execution"],
  plans.map((p) => [
    p.label,
    `\`${p.statement}\``,
    `${p.planning.toFixed(2)} ms`,
    `${p.execution.toFixed(2)} ms`,
  ]),
)}

<details><summary>Query plans</summary>

${read.profile.explains
  .map(
    (e) =>
      `#### ${e.label}: ${statementName(e.sql)} (${e.ms.toFixed(1)} ms as the driver returned it)\n\n\`\`\`sql\n${e.sql.trim()}\n\`\`\`\n\n\`\`\`\n${e.plan}\n\`\`\``,
  )
  .join("\n\n")}

</details>

## Method

- \`npm run bench\` (bench/run.ts) runs bench/ingest.ts, then bench/read.ts, in one process on one Postgres.
- Shiplog's side of the read benchmark is a node:http server (bench/lib/read-server.ts) that hands each
  request to the app's own route handlers — \`GET\` of app/api/v1/commits/route.ts and
  app/api/v1/commits/[sha]/route.ts — under the react-server condition, with an API token made by
  \`npm run token\` (viewer), so authentication, validation, lib/db's SQL and serialization are all in the path.
  Next's own routing is not (no \`next start\`).
- Latency is measured in the load generator (bench/lib/load.ts) from sending a request to the last byte of its
  body. An unmeasured first pass asks Shiplog for every path of the runs, to capture the bytes the two
  baselines answer with; so every server's measured rounds read rows that are already in Postgres's
  buffers (a timeline read touches a few pages: the 2,000 commits asked for fit in shared_buffers).
- Baselines: bench/lib/bare-server.ts (node:http, the captured bytes from memory) and
  bench/lib/one-query-server.ts (node:http, the captured bytes read from Postgres by path, one named
  prepared statement per request on a pool of 10). Neither authenticates or validates.
- Targets: ingest ≥ ${int(TARGETS.ingestEventsPerSecond)} events/s and ≥ ${TARGETS.ingestShareOfRaw * 100} % of raw;
  timeline p95 ≤ ${TARGETS.timelineP95Ms} ms, list p95 ≤ ${TARGETS.listP95Ms} ms, each p95 ≤ ${TARGETS.timesBare}× the bare server's p95.
`;
}

export function consoleSummary(run: Run): string {
  const targets = evaluate(run.ingest, run.read);
  const width = Math.max(...targets.map((t) => t.measure.length));
  const figWidth = Math.max(...targets.map((t) => t.figure.length));
  return targets
    .map(
      (t) =>
        `${t.measure.padEnd(width)}  ${t.figure.padEnd(figWidth)}  ${t.target.padEnd(16)}  ${t.pass ? "PASS" : "MISS"}`,
    )
    .join("\n");
}
