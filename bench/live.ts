// `npm run bench:live`: how fast a change in a cluster reaches an open browser, and how much
// JavaScript each page loads first. Builds the app, starts it on a fresh database against the
// cluster simulator, opens Releases in Chromium, plays commits, and times each kpack Build
// status the simulator writes until the page shows it; then weighs the build's first-load JS.
// Writes its block of bench/RESULTS.md.
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startSimulator } from "../sim";
import { ensureBuild } from "../scripts/lib/build";
import { stop, waitForHttp } from "../scripts/lib/process";
import { freePort } from "../scripts/lib/postgres";
import { freshBenchDatabase } from "./lib/database";
import { describeMachine, loadAverage } from "./lib/machine";
import { firstLoadJs } from "./lib/live-bundle";
import {
  eventArrivals,
  matchLatencies,
  splitLatencies,
  percentile,
  recordBuildChips,
  shownChanges,
  watchBuildWrites,
} from "./lib/live-latency";
import { writeBlock } from "./lib/live-results";

const root = path.resolve(import.meta.dirname, "..");
const COMMITS = Number(process.env.BENCH_LIVE_COMMITS ?? 15);
const LATENCY_TARGET_MS = 300;
const JS_TARGET_KB = 180;
const say = (line: string) => process.stdout.write(`[bench:live] ${line}\n`);

const startedAt = new Date();
const loadBefore = loadAverage();
say((await ensureBuild()) === "built" ? "built the app" : "the app build is up to date");
const database = await freshBenchDatabase("live");
const port = await freePort();
const baseURL = `http://127.0.0.1:${port}`;
const secrets = { harbor: "bench-harbor-webhook", git: "bench-git-webhook" };
const sim = await startSimulator({
  seed: 11,
  onlyCommits: COMMITS,
  commitIntervalMs: 2500,
  timeScale: 0.5,
  decideGates: "approve",
  play: false,
  dir: path.join(root, ".shiplog/bench-sim"),
  kubeconfig: path.join(root, ".shiplog/bench-sim/kubeconfig"),
  webhookBase: baseURL,
  harborWebhookSecret: secrets.harbor,
  gitWebhookSecret: secrets.git,
});
const password = "bench-demo-password";
const app = spawn(process.execPath, [path.join(root, ".next/standalone/server.js")], {
  cwd: root,
  // The server's log goes to a file, to look into when a figure surprises.
  stdio: ["ignore", openSync(path.join(root, ".shiplog/bench-live-app.log"), "w"), "inherit"],
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: String(port),
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    SHIPLOG_DEMO: "true",
    SHIPLOG_DEMO_PASSWORD: password,
    AUTH_SECRET: "bench-auth-secret-0f3a9c2e7b1d4f6a8c0e2b4d6f8a1c3e",
    AUTH_URL: baseURL,
    KUBECONFIG: sim.kubeconfigPath!,
    SHIPLOG_CONTEXTS: "staging=staging,production=production",
    HARBOR_URL: sim.harbor.url,
    HARBOR_USERNAME: "admin",
    HARBOR_PASSWORD: "Harbor12345",
    HARBOR_WEBHOOK_SECRET: secrets.harbor,
    GIT_WEBHOOK_SECRET: secrets.git,
  },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
try {
  await waitForHttp(`${baseURL}/api/readyz`, 60_000, () => app.exitCode === null);
  const context = await browser.newContext({ baseURL });
  const csrf = (await (await context.request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  await context.request.post("/api/auth/callback/demo", {
    form: { csrfToken: csrf.csrfToken, username: "dev", password, json: "true" },
  });
  const page = await context.newPage();
  await page.goto("/");
  await page.locator('[data-live-state="live"]').waitFor({ timeout: 30_000 });
  await recordBuildChips(page);
  const writes = watchBuildWrites(sim);
  say(`playing ${COMMITS} commits`);
  sim.play();
  await sim.player.done;
  // Until every played build has an outcome, then a moment for the page to show the last one.
  const deadline = Date.now() + 90_000;
  const final = new Set(["succeeded", "failed", "cancelled"]);
  while (Date.now() < deadline) {
    const builds = sim.truth().commits.flatMap((c) => c.builds);
    if (builds.every((b) => final.has(b.status))) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  writes.stop();
  const shown = await shownChanges(page);
  const { latencies, missed } = matchLatencies(writes.changes, shown);
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  const split = splitLatencies(writes.changes, shown, await eventArrivals(page));
  const share = (values: number[]) =>
    `p50 ${percentile(values, 50)} ms, p95 ${percentile(values, 95)} ms`;
  say(
    `latency p50 ${p50} ms, p95 ${p95} ms over ${latencies.length} changes (${missed} not shown)`,
  );
  say(`to the browser ${share(split.server)}; in the browser ${share(split.browser)}`);

  const pages = firstLoadJs(path.join(root, ".next")).filter((p) => !p.route.startsWith("/_"));
  const heaviest = Math.max(...pages.map((p) => p.gzipBytes)) / 1024;
  const machine = await describeMachine();
  const loadAfter = loadAverage();
  const pass = (ok: boolean) => (ok ? "PASS" : "**MISS**");
  const block = [
    "## Dashboard: live latency and first-load JavaScript",
    "",
    `Written by \`npm run bench:live\` on ${startedAt.toISOString()}. Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory; Node ${machine.node}; PostgreSQL ${machine.postgres}. Load average (1/5/15 min) ${loadBefore} at the start and ${loadAfter} at the end (the machine is shared: figures are noisy).`,
    "",
    "| measure | figure | target | result |",
    "| --- | --- | --- | --- |",
    `| Cluster change → browser, p50 | ${p50} ms | — | — |`,
    `| Cluster change → browser, p95 | ${p95} ms | ≤ ${LATENCY_TARGET_MS} ms | ${pass(p95 <= LATENCY_TARGET_MS)} |`,
    `| split: change → event reaches the browser | ${share(split.server)} | — | — |`,
    `| split: event → DOM (refetch, render) | ${share(split.browser)} | — | — |`,
    `| First-load JS, heaviest page (gzip) | ${heaviest.toFixed(1)} KB | ≤ ${JS_TARGET_KB} KB | ${pass(heaviest <= JS_TARGET_KB)} |`,
    "",
    `Latency: ${latencies.length} kpack Build status changes of ${COMMITS} simulated commits (time scale 0.5), from the simulator's write in its staging cluster to the Releases page in Chromium showing that status in the commit's stage strip (a MutationObserver's timestamp; same machine clock). ${missed} ${missed === 1 ? "change was" : "changes were"} superseded before the page refreshed and not counted. The path: watch → ingest batch → Postgres NOTIFY → server-sent event → the commit list's query invalidated → refetch → render.`,
    "",
    "First-load JS per page (gzip level 9, from `.next/build-manifest.json` and each page's client-reference manifest; the runtime's main files plus the chunks of the page's layout, error boundary and page):",
    "",
    "| page | files | gzip |",
    "| --- | --- | --- |",
    ...pages.map((p) => `| \`${p.route}\` | ${p.files} | ${(p.gzipBytes / 1024).toFixed(1)} KB |`),
  ].join("\n");
  await writeBlock(path.join(root, "bench/RESULTS.md"), block);
  say("wrote the dashboard block of bench/RESULTS.md");
} finally {
  await browser.close();
  await stop(app);
  await sim.close();
  await database.drop().catch(() => {});
}
process.exit(0);
