// `npm run bench`: the ingest and read benchmarks side by side in one run; prints the figures
// against the targets and writes bench/RESULTS.md. Sizes may be lowered for a quick look with
// BENCH_RELEASES, BENCH_COMMITS, BENCH_REQUESTS and BENCH_READ_ROUNDS (RESULTS.md records what was
// used).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import { benchIngest } from "./ingest";
import { benchRead } from "./read";
import { benchPostgres } from "./lib/database";
import { describeMachine, loadAverage } from "./lib/machine";
import { consoleSummary, markdown, type Run } from "./lib/report";

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RELEASES = size("BENCH_RELEASES", 2_000);
const COMMITS = size("BENCH_COMMITS", 100_000);
const REQUESTS = size("BENCH_REQUESTS", 2_000);
const INGEST_ROUNDS = size("BENCH_INGEST_ROUNDS", 5);
const READ_ROUNDS = size("BENCH_READ_ROUNDS", 5);
const CONCURRENCY = 8;

const log = (line: string) => console.log(line);

const DASHBOARD_START = "<!-- dashboard:start -->";
const DASHBOARD_END = "<!-- dashboard:end -->";
const IMAGE_START = "<!-- image:start -->";
const IMAGE_END = "<!-- image:end -->";
const REPLICAS_START = "<!-- replicas:start -->";
const REPLICAS_END = "<!-- replicas:end -->";

/**
 * The dashboard's figures (page first-load JS, live-update latency), the container image's
 * (size, test time, memory) and the replicas' (takeover, Postgres restart, from
 * `npm run test:replicas`) are measured and written into RESULTS.md by their own tooling,
 * between their markers: this writer keeps whatever is between them in the current file, and adds
 * the markers with a placeholder line when they are missing.
 */
function keptSection(file: string, startMarker: string, endMarker: string, placeholder: string) {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker, start);
  const kept =
    start >= 0 && end > start ? current.slice(start + startMarker.length, end) : placeholder;
  return `${startMarker}${kept}${endMarker}\n`;
}

function dashboardSection(file: string): string {
  return keptSection(
    file,
    DASHBOARD_START,
    DASHBOARD_END,
    "\n\n## Dashboard\n\nNot measured yet: the dashboard's figures are written here separately.\n\n",
  );
}

function replicasSection(file: string): string {
  return keptSection(
    file,
    REPLICAS_START,
    REPLICAS_END,
    "\n\n## Replicas\n\nNot measured yet: see `npm run test:replicas`.\n\n",
  );
}

function imageSection(file: string): string {
  return keptSection(
    file,
    IMAGE_START,
    IMAGE_END,
    "\n\n## Image\n\nNot measured yet: see `npm run test:image`.\n\n",
  );
}

const started = new Date();
const loadBefore = loadAverage();
const machine = await describeMachine();
log(
  `bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, Postgres ${machine.postgres}`,
);
log(`load average ${loadBefore}`);

try {
  log(`ingest: ${RELEASES} releases …`);
  const ingest = await benchIngest(RELEASES, INGEST_ROUNDS);
  log(
    `  Shiplog ${ingest.shiplog.eventsPerSecond} events/s, raw ${ingest.raw.eventsPerSecond} events/s`,
  );
  log(`read: ${COMMITS} commits, ${REQUESTS} requests per endpoint, ${CONCURRENCY} in flight …`);
  const read = await benchRead({
    commits: COMMITS,
    requests: REQUESTS,
    rounds: READ_ROUNDS,
    concurrency: CONCURRENCY,
    log,
  });

  const sizes = [
    RELEASES !== 2_000 && `BENCH_RELEASES=${RELEASES}`,
    COMMITS !== 100_000 && `BENCH_COMMITS=${COMMITS}`,
    REQUESTS !== 2_000 && `BENCH_REQUESTS=${REQUESTS}`,
    READ_ROUNDS !== 5 && `BENCH_READ_ROUNDS=${READ_ROUNDS}`,
  ].filter(Boolean);
  const run: Run = {
    machine,
    started,
    minutes: (Date.now() - started.getTime()) / 60_000,
    command: [...sizes, "npm run bench"].join(" "),
    loadBefore,
    loadAfter: loadAverage(),
    ingest,
    read,
  };
  const file = path.join(import.meta.dirname, "RESULTS.md");
  // Formatted as the repository's `prettier --check .` (npm run lint) expects.
  const options = { ...(await prettier.resolveConfig(file)), filepath: file };
  const text = `${markdown(run).trimEnd()}\n\n${dashboardSection(file)}\n${imageSection(file)}\n${replicasSection(file)}`;
  writeFileSync(file, await prettier.format(text, options));
  log("");
  log(consoleSummary(run));
  log(`\nwrote ${path.relative(process.cwd(), file)} (${run.minutes.toFixed(1)} minutes)`);
} finally {
  await (await benchPostgres()).stop();
}
