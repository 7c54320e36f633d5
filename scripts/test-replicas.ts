// `npm run test:replicas`: Shiplog as its Deployment runs it — two replicas of the production
// server (`next start`) on one fresh database, behind one Service (test/replicas/service.ts), the
// cluster simulator playing a scenario into them — and the failures a cluster brings:
//   1. exactly one replica leads (watchers, gate controller, timeline keeper); both serve pages,
//      the API and live events;
//   2. the leader is killed (SIGKILL) mid-scenario: the other leads within 15 s, measured from the
//      kill to the survivor's "holding the watcher lock" log line (its pino time, this machine's
//      clock), and a browser's event stream on the survivor keeps getting live events;
//   3. the killed replica comes back, then Postgres restarts under both: both processes live on and
//      one leads again within 10 s of Postgres accepting connections.
// Then every commit, stage and deploy of the simulator's ground truth must be on the timelines both
// replicas serve, with its outcome, and the stream must have missed no event of the events table.
// Postgres is a private embedded server (scripts/lib/postgres.ts), since it is restarted.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startSimulator, type CommitTruth, type Simulator } from "../sim";
import type { CommitTimeline } from "../lib/timeline/types";
import { followEvents, signIn, type EventFollower } from "../test/replicas/client";
import { startReplica, type LogLine, type Replica } from "../test/replicas/replica";
import { startService, type Service } from "../test/replicas/service";
import { expectedStages, settled, shownStages } from "../test/timeline-truth";
import { ensureBuild } from "./lib/build";
import { migrate } from "./lib/migrate";
import {
  createDatabase,
  dropDatabase,
  freePort,
  startEmbeddedChild,
  type PostgresServer,
} from "./lib/postgres";
import { waitForHttp } from "./lib/process";

const root = path.resolve(import.meta.dirname, "..");
const work = path.join(root, ".shiplog/replicas");
const TAKEOVER_BOUND_MS = 15_000;
const REACQUIRE_BOUND_MS = 10_000;
const started = Date.now();
const say = (line: string) =>
  process.stdout.write(`[replicas ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

class Failure extends Error {}
function check(ok: boolean, what: string): void {
  if (!ok) throw new Failure(what);
  say(`ok: ${what}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Failure(`timed out after ${timeoutMs} ms waiting: ${what}`);
    await sleep(100);
  }
}

const secrets = {
  password: "replicas-demo-password-5a1e",
  authSecret: "replicas-auth-secret-8c2f4a6e0b1d3f5a7c9e1b3d5f7a9c0e",
  harbor: "replicas-harbor-webhook-2d7b",
  git: "replicas-git-webhook-6f3c",
};
const LEADS = "holding the watcher lock; starting watchers";
const LOST = "lost the watcher lock; stopping watchers";

type Readiness = {
  status: string;
  leader: boolean | null;
  checks: { watchers: { detail: string } };
};
async function readyz(replica: Replica): Promise<Readiness | undefined> {
  const response = await fetch(`${replica.url}/api/readyz`, { signal: AbortSignal.timeout(3000) });
  return response.status === 200 ? ((await response.json()) as Readiness) : undefined;
}

/** What of a commit has not finished in the simulator, for the message of a scenario that hangs. */
function unfinished(c: CommitTruth) {
  const open = (status: string) => ["pending", "running"].includes(status);
  return {
    builds: c.builds.filter((b) => open(b.status)).map((b) => b.name),
    runs: c.pipelineRuns.filter((p) => open(p.status)).map((p) => `${p.name} ${p.status}`),
    gates: c.gates.filter((g) => g.status === "pending").map((g) => g.name),
    deploys: c.deploys.filter((d) => open(d.status)).map((d) => d.application),
    scans: c.artifacts.filter((a) => a.scan.status === "running").map((a) => a.digest),
  };
}

let pgServer: PostgresServer | undefined;
let sim: Simulator | undefined;
let service: Service | undefined;
let stream: EventFollower | undefined;
const replicas: Replica[] = [];
let approving = true;
let approver: Promise<void> = Promise.resolve();
let code = 0;
let database: string | undefined;

try {
  say((await ensureBuild()) === "built" ? "built the app" : "the app build is up to date");
  mkdirSync(work, { recursive: true });
  const pgPort = await freePort();
  const pgDir = path.join(work, "pg");
  pgServer = await startEmbeddedChild(pgDir, pgPort);
  const name = `shiplog_replicas_${randomBytes(3).toString("hex")}`;
  const databaseUrl = await createDatabase(pgServer.adminUrl, name);
  database = name;
  await migrate(databaseUrl, { quiet: true });
  say(`private Postgres on port ${pgPort}, database ${name} migrated`);

  const ports = [await freePort(), await freePort()];
  service = await startService(ports.map((port) => `http://127.0.0.1:${port}`));
  sim = await startSimulator({
    seed: 5,
    apps: 3,
    onlyCommits: 14,
    commitIntervalMs: 6000,
    timeScale: 0.3,
    // Shiplog decides its Approval gates: the approver below decides them through the API.
    decideGates: "never",
    rates: { build: 0.15, rebuild: 0.3, test: 0.2, degraded: 0.15, scanFailure: 0.1 },
    play: false,
    dir: path.join(work, "sim"),
    kubeconfig: path.join(work, "sim/kubeconfig"),
    webhookBase: service.url,
    harborWebhookSecret: secrets.harbor,
    gitWebhookSecret: secrets.git,
    harborUsername: "robot$replicas",
    harborPassword: "replicas-harbor-password",
  });
  const env = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "info",
    SHIPLOG_DEMO: "true",
    SHIPLOG_DEMO_PASSWORD: secrets.password,
    AUTH_SECRET: secrets.authSecret,
    // Both replicas are one site to the browser: the Service's address.
    AUTH_URL: service.url,
    KUBECONFIG: sim.kubeconfigPath as string,
    SHIPLOG_CONTEXTS: "staging=staging,production=production",
    HARBOR_URL: sim.harbor.url,
    HARBOR_USERNAME: "robot$replicas",
    HARBOR_PASSWORD: "replicas-harbor-password",
    HARBOR_WEBHOOK_SECRET: secrets.harbor,
    GIT_WEBHOOK_SECRET: secrets.git,
  };
  const launch = (index: number, generation: number) => {
    const replica = startReplica({
      name: `replica-${"ab"[index]}${generation > 1 ? generation : ""}`,
      port: ports[index]!,
      env,
      logFile: path.join(work, `replica-${"ab"[index]}-${generation}.log`),
    });
    replicas[index] = replica;
    return replica;
  };
  launch(0, 1);
  launch(1, 1);
  await Promise.all(
    replicas.map((r) => waitForHttp(`${r.url}/api/readyz`, 90_000, () => r.alive())),
  );
  say("both replicas answer /api/readyz");

  // 1. One leads, the other follows; both serve.
  const roles = async () => Promise.all(replicas.map(readyz));
  const first = await until(
    async () => {
      const states = await roles();
      return states.every((s) => s) && states.filter((s) => s!.leader).length === 1
        ? states
        : undefined;
    },
    "exactly one replica leads",
    30_000,
  );
  const leaderIndex = first.findIndex((s) => s!.leader);
  const leader = replicas[leaderIndex]!;
  const survivor = replicas[1 - leaderIndex]!;
  await sleep(2500); // longer than a follower's retry: still exactly one
  const again = await roles();
  check(
    again[leaderIndex]?.leader === true && again[1 - leaderIndex]?.leader === false,
    `${leader.name} leads and ${survivor.name} follows ("${again[1 - leaderIndex]?.checks.watchers.detail}")`,
  );
  const metric = async (r: Replica) =>
    /^shiplog_leader\{[^}]*\} (\d)/m.exec(await (await fetch(`${r.url}/metrics`)).text())?.[1];
  check(
    (await metric(leader)) === "1" && (await metric(survivor)) === "0",
    "shiplog_leader is 1 on the leader, 0 on the follower",
  );
  const cookie = await signIn(service.url, "approver", secrets.password);
  for (const r of replicas) {
    const list = await fetch(`${r.url}/api/v1/commits`, { headers: { cookie } });
    const page = await fetch(`${r.url}/`, { headers: { cookie } });
    check(
      list.status === 200 && page.status === 200,
      `${r.name} serves the Releases page and /api/v1/commits`,
    );
  }

  // The approver: decides every pending gate through whichever replica is up, alternating.
  const decided = new Map<string, string>();
  let turn = 0;
  approver = (async () => {
    while (approving) {
      const r = replicas[turn++ % replicas.length]!;
      try {
        const pending = await fetch(`${r.url}/api/v1/approvals?status=pending`, {
          headers: { cookie },
          signal: AbortSignal.timeout(10_000),
        });
        if (pending.ok) {
          for (const gate of (await pending.json()) as { id: string }[]) {
            const answer = await fetch(`${r.url}/api/v1/approvals/${gate.id}/decision`, {
              method: "POST",
              headers: { cookie, origin: service!.url, "content-type": "application/json" },
              body: JSON.stringify({ decision: "approve", comment: "replicas test" }),
              signal: AbortSignal.timeout(10_000),
            });
            if (answer.ok) decided.set(gate.id, r.name);
          }
        }
      } catch {
        // that replica is down or Postgres is restarting: the next turn tries again
      }
      await sleep(300);
    }
  })();

  // 2. Kill the leader mid-scenario.
  stream = await followEvents(survivor.url, cookie);
  say(`following live events on ${survivor.name}; playing the scenario`);
  sim.play();
  await until(
    () => (sim!.player.commitsMade >= 4 && decided.size >= 1 ? true : undefined),
    "four commits and a decided gate",
    90_000,
  );
  const killedAt = Date.now();
  await leader.kill();
  say(`killed ${leader.name} (SIGKILL) after ${sim.player.commitsMade} commits`);
  const took: LogLine = await survivor.waitForLog(
    (l) => l.msg === LEADS,
    killedAt,
    TAKEOVER_BOUND_MS,
  );
  const takeoverMs = took.time - killedAt;
  const readyAt = await until(
    async () => ((await readyz(survivor))?.leader ? Date.now() : undefined),
    "the survivor's /api/readyz says it leads",
    TAKEOVER_BOUND_MS,
  );
  check(
    takeoverMs <= TAKEOVER_BOUND_MS,
    `${survivor.name} took over ${takeoverMs} ms after the kill (its /api/readyz said leader:true ${readyAt - killedAt} ms after)`,
  );
  const afterTakeover = await until(
    () => {
      const live = stream!.events.filter((e) => e.at > took.time);
      return live.filter((e) => e.type === "timeline").length >= 3 ? live : undefined;
    },
    "three live timeline events on the survivor's stream after the takeover",
    30_000,
  );
  check(
    stream.reconnects === 0,
    `the survivor's event stream stayed open and brought ${afterTakeover.length} events after the takeover`,
  );

  // 3. The killed replica comes back (as its pod would); then Postgres restarts under both.
  const back = launch(leaderIndex, 2);
  await waitForHttp(`${back.url}/api/readyz`, 90_000, () => back.alive());
  const rejoined = await until(
    async () => {
      const s = await readyz(back);
      return s?.leader === false && s.checks.watchers.detail.startsWith("another replica")
        ? s
        : undefined;
    },
    `${back.name} follows`,
    15_000,
  );
  check(true, `${back.name} is back and follows ("${rejoined.checks.watchers.detail}")`);
  const stoppedAt = Date.now();
  await pgServer.stop();
  const downAt = Date.now();
  say(`Postgres stopped (${downAt - stoppedAt} ms); starting it again`);
  await sleep(1000);
  pgServer = await startEmbeddedChild(pgDir, pgPort);
  const upAt = Date.now();
  say(`Postgres accepts connections again (${upAt - downAt} ms after it stopped)`);
  const lost = await survivor.waitForLog((l) => l.msg === LOST, stoppedAt, 5_000);
  const retaken = await Promise.any(
    replicas.map((r) =>
      r.waitForLog((l) => l.msg === LEADS, stoppedAt, REACQUIRE_BOUND_MS + 30_000),
    ),
  );
  const reacquireMs = retaken.time - upAt;
  const gapMs = retaken.time - lost.time;
  const leadingNow = await until(
    async () => {
      const states = await roles();
      return states.every((s) => s) && states.filter((s) => s!.leader).length === 1
        ? states
        : undefined;
    },
    "exactly one replica leads after the Postgres restart",
    REACQUIRE_BOUND_MS,
  );
  check(
    replicas.every((r) => r.alive()),
    "both replicas lived through the Postgres restart",
  );
  check(
    reacquireMs <= REACQUIRE_BOUND_MS,
    `${replicas[leadingNow.findIndex((s) => s!.leader)]!.name} leads again ${reacquireMs} ms after Postgres came back (${gapMs} ms without a leader, Postgres down ${upAt - downAt} ms of it)`,
  );
  const beforeRestart = stream.events.length;
  await until(
    () => (stream!.events.slice(beforeRestart).some((e) => e.at > upAt) ? true : undefined),
    "live events on the survivor's stream after the Postgres restart",
    30_000,
  );
  check(
    true,
    `live events reach the survivor's stream after the Postgres restart (reconnects: ${stream.reconnects})`,
  );

  // The scenario ends; nothing may be lost against the ground truth.
  await sim.player.done;
  const played = () => sim!.truth().commits.filter((c) => !c.bootstrap);
  await until(
    () => (played().every(settled) ? true : undefined),
    "the scenario to settle (every gate decided, every run finished)",
    90_000,
  ).catch(async (error: unknown) => {
    const open = played()
      .filter((c) => !settled(c))
      .map((c) => `${c.app} ${c.sha.slice(0, 7)} ${JSON.stringify(unfinished(c))}`);
    for (const c of played())
      for (const p of c.pipelineRuns.filter((p) => p.status === "running")) {
        const store = sim!.clusters[p.cluster]!;
        const run = store.get("pipelineruns.tekton.dev", p.namespace, p.name);
        const refs = (
          (run.status as { childReferences?: { kind: string; name: string }[] })?.childReferences ??
          []
        ).map((r) => {
          const type = r.kind === "CustomRun" ? "customruns.tekton.dev" : "taskruns.tekton.dev";
          const child = store.get(type, p.namespace, r.name);
          return `${r.kind} ${r.name} ${JSON.stringify((child.status as { conditions?: unknown })?.conditions)}`;
        });
        open.push(`  ${p.name}: ${JSON.stringify(run.spec)}\n    ${refs.join("\n    ")}`);
      }
    const pending = await fetch(`${service!.url}/api/v1/approvals?status=pending`, {
      headers: { cookie },
    })
      .then((r) => r.text())
      .catch(String);
    throw new Failure(
      `${(error as Error).message}\nstill running:\n${open.join("\n")}\nShiplog's pending gates: ${pending}`,
    );
  });
  say(`the scenario settled: ${played().length} commits, ${decided.size} gates decided`);
  approving = false;
  await approver;
  // The deploys Shiplog ties to a commit: of a manifests revision written for that app and
  // environment (test/timeline-truth.ts); a staging sync of another app's revision is left out.
  const ownRevision = (d: {
    application: string;
    environment: string | null;
    revision: string;
  }) => {
    const written = sim!.ledger.manifests.get(d.revision);
    return (
      written !== undefined &&
      d.application === `${written.app}-${written.environment}` &&
      d.environment === written.environment
    );
  };
  const timeline = async (r: Replica, c: CommitTruth) => {
    const response = await fetch(`${r.url}/api/v1/commits/${c.sha}?app=${c.app}`, {
      headers: { cookie },
    });
    return response.ok
      ? shownStages((await response.json()) as CommitTimeline, { deploys: ownRevision })
      : [`HTTP ${response.status}`];
  };
  /** The truth as it is now (a finished deploy may still start a verify run), against both. */
  const mismatches = async (commits: CommitTruth[]) => {
    const out: string[] = [];
    if (!commits.every(settled)) out.push("the scenario is still running");
    for (const r of replicas)
      for (const c of commits) {
        const want = expectedStages(c, { deploys: ownRevision });
        const got = await timeline(r, c);
        if (JSON.stringify(got) !== JSON.stringify(want))
          out.push(
            `${r.name} ${c.app} ${c.sha.slice(0, 7)}:\n  want ${want.join("\n       ")}\n  got  ${got.join("\n       ")}`,
          );
      }
    return out;
  };
  // Eventually consistent: the last watch events land a moment after the clusters settle.
  let commits: CommitTruth[] = played();
  let differ: string[] = [];
  const deadline = Date.now() + 30_000;
  while ((differ = await mismatches((commits = played()))).length > 0 && Date.now() < deadline)
    await sleep(1000);
  check(
    differ.length === 0,
    `every commit, stage and deploy of the ground truth is on both replicas' timelines with its outcome` +
      (differ.length ? `; differing:\n${differ.join("\n")}` : ""),
  );
  const stageCount = commits.reduce(
    (n, c) => n + expectedStages(c, { deploys: ownRevision }).length,
    0,
  );
  say(
    `compared ${commits.length} commits, ${stageCount} stages (${commits.reduce((n, c) => n + c.deploys.filter(ownRevision).length, 0)} of their ${commits.reduce((n, c) => n + c.deploys.length, 0)} deploys, ${commits.reduce((n, c) => n + c.gates.length, 0)} gates)`,
  );
  const listed = (await (
    await fetch(`${replicas[0]!.url}/api/v1/commits?limit=100`, { headers: { cookie } })
  ).json()) as { items: { sha: string }[] };
  const shas = new Set(listed.items.map((i) => i.sha));
  check(
    commits.every((c) => shas.has(c.sha)),
    "the commit list names every commit",
  );

  // The stream missed nothing: every event stored since it opened reached it, in order.
  await sleep(1500);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const firstId = stream.events[0]?.id ?? 0n;
  const stored = (
    await client.query<{ id: string }>("select id from events where id >= $1 order by id", [
      String(firstId),
    ])
  ).rows.map((r) => BigInt(r.id));
  await client.end();
  const seen = stream.events.map((e) => e.id);
  const missing = stored.filter((id) => !seen.includes(id));
  check(
    missing.length === 0 && seen.every((id, i) => i === 0 || id > seen[i - 1]!),
    `the survivor's stream got all ${stored.length} events stored since it opened, in order` +
      (missing.length ? `; missing ${missing.slice(0, 10).join(", ")}` : ""),
  );
  say(
    `RESULT takeover ${takeoverMs} ms (readyz ${readyAt - killedAt} ms); Postgres restart: down ${upAt - downAt} ms, leader again ${reacquireMs} ms after it came back, ${gapMs} ms without a leader`,
  );
} catch (error) {
  code = 1;
  const line = error instanceof Failure ? error.message : String(error);
  process.stderr.write(`[replicas] FAILED: ${line}\n(replica logs in ${work})\n`);
} finally {
  // Whatever hangs in the clean-up, the run ends: the private Postgres is stopped last regardless.
  const cleanUp = async () => {
    approving = false;
    stream?.close();
    await approver.catch(() => {});
    await Promise.all(replicas.map((r) => r.stop()));
    await sim?.close();
    await service?.close();
    if (pgServer && database) await dropDatabase(pgServer.adminUrl, database).catch(() => {});
  };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000)));
  await Promise.race([cleanUp(), late.then(() => say("clean-up took over 30 s; stopping"))]);
  clearTimeout(timer);
  await pgServer?.stop();
}
say(code === 0 ? "passed" : "failed");
process.exit(code);
