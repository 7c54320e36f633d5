// A failed E2E TaskRun and a failed kpack Build, played by the simulator into ingest on real
// Postgres: the keeper keeps each failed step's log tail, the run endpoints serve the log from the
// pod while it exists and from Postgres after the cluster pruned the run and its pod.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { NO_FAILURES, type Simulator } from "@/sim";
import { clients, mergePatch, startTestSimulator, type TestSimulator } from "@/sim/test-support";
import { createToken } from "../auth/tokens";
import { createPool } from "../db/pool";
import { loadClusters, type ClusterConnection } from "../k8s/kubeconfig";
import { normalizeResource } from "../sources";
import type { RunDetail } from "../runs/types";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { startStepLogKeeper, type StepLogKeeper } from "./step-logs";
import { startWatchers, type Watchers } from "./watchers";

let sim: TestSimulator;
let database: TestDatabase;
let pool: pg.Pool;
let clusters: ClusterConnection[];
let watchers: Watchers;
let keeper: StepLogKeeper;
let token = "";
let routes: {
  detail: typeof import("@/app/api/v1/runs/[cluster]/[namespace]/[kind]/[name]/route");
  logs: typeof import("@/app/api/v1/runs/[cluster]/[namespace]/[kind]/[name]/logs/route");
};
const logged: { level: string; message: string; fields: object }[] = [];
const log = {
  info: (fields: object, message: string) => logged.push({ level: "info", message, fields }),
  warn: (fields: object, message: string) => logged.push({ level: "warn", message, fields }),
  error: (fields: object, message: string) => logged.push({ level: "error", message, fields }),
};

async function eventually<T>(probe: () => Promise<T> | T, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const problems = logged.filter((l) => l.level !== "info").slice(-3);
      throw new Error(
        `${what}: not within ${timeoutMs} ms; last problems logged: ${JSON.stringify(problems, (_k, v) => (v instanceof Error ? v.message : v))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Ref = { cluster: string; namespace: string; kind: string; name: string };
const context = (ref: Ref) => ({ params: Promise.resolve(ref) });
const request = (url: string, auth = true) =>
  new Request(`http://localhost${url}`, {
    headers: auth ? { authorization: `Bearer ${token}` } : {},
  });

async function detail(ref: Ref): Promise<RunDetail> {
  const res = await routes.detail.GET(request(`/api/v1/runs/${ref.name}`), context(ref));
  expect(res.status).toBe(200);
  return (await res.json()) as RunDetail;
}

async function logs(ref: Ref, group: string, step: string) {
  const res = await routes.logs.GET(
    request(`/api/v1/runs/x/logs?group=${group}&step=${step}`),
    context(ref),
  );
  return {
    status: res.status,
    source: res.headers.get("x-shiplog-log-source"),
    type: res.headers.get("content-type"),
    text: await res.text(),
  };
}

const storedLog = async (pod: string, container: string) =>
  (
    await pool.query<{ tail: string; step: string; truncated: boolean; resource_uid: string }>(
      "select tail, step, truncated, resource_uid from step_logs where pod = $1 and container = $2",
      [pod, container],
    )
  ).rows[0];

const deleted = async (kind: string, name: string) =>
  (
    await pool.query(
      "select 1 from resources where kind = $1 and name = $2 and deleted_at is not null",
      [kind, name],
    )
  ).rowCount === 1;

/** The ground truth of the commit that a build belongs to. */
function commitTruth(s: Simulator, build: string) {
  return s.truth().commits.find((c) => c.builds.some((b) => b.name === build));
}

beforeAll(async () => {
  // Seed 4 plays: payments-build-2 succeeds, payments-build-3 fails, payments-build-4 succeeds.
  sim = await startTestSimulator({
    seed: 4,
    apps: ["payments"],
    play: false,
    timeScale: 0.05,
    rates: { ...NO_FAILURES, build: 0.5, test: 1 },
    keepPipelineRuns: 1,
  });
  database = await freshDatabase();
  pool = createPool(database.url, 4);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    KUBECONFIG: sim.kubeconfigPath,
    SHIPLOG_CONTEXTS: "staging,production",
  });
  token = (await createToken(pool, { name: "reader", role: "viewer", actor: "test" })).token;
  clusters = loadClusters({
    kubeconfig: sim.kubeconfigPath,
    contexts: [
      { context: "staging", environment: "staging" },
      { context: "production", environment: "production" },
    ],
  });
  keeper = startStepLogKeeper({ clusters, pool, log, backoffMs: 50 });
  watchers = startWatchers({
    clusters,
    namespaces: [],
    pool,
    log,
    batchMs: 10,
    onStored: (batch) => keeper.observe(batch),
  });
  routes = {
    detail: await import("@/app/api/v1/runs/[cluster]/[namespace]/[kind]/[name]/route"),
    logs: await import("@/app/api/v1/runs/[cluster]/[namespace]/[kind]/[name]/logs/route"),
  };
}, 60_000);

afterAll(async () => {
  await watchers?.stop();
  await keeper?.stop();
  await sim?.close();
  await pool?.end();
  await database?.drop();
});

describe("failed steps' logs", () => {
  let e2e: Ref;
  let e2eText = "";
  const failedBuild: Ref = {
    cluster: "staging",
    namespace: "apps",
    kind: "builds",
    name: "payments-build-3",
  };
  let buildText = "";

  it("keeps a failed E2E step's tail and serves its log from the pod while it exists", async () => {
    sim.commit("payments");
    const verify = await eventually(() => {
      const run = commitTruth(sim, "payments-build-2")?.pipelineRuns.find(
        (p) => p.stage === "verify" && p.status === "failed",
      );
      return run;
    }, "the E2E run failed");
    e2e = { cluster: "staging", namespace: "ci", kind: "pipelineruns", name: verify.name };
    const pod = `${verify.name}-selenium-pod`;
    const kept = await eventually(() => storedLog(pod, "step-run-tests"), "the tail was kept");
    expect(kept).toMatchObject({ step: "run-tests", truncated: false });
    expect(kept.tail).toMatch(/3 passing, 1 failing\n$/);

    const run = await eventually(async () => {
      const d = await detail(e2e);
      return d.status === "failed" && d.groups[0]?.status === "failed" ? d : null;
    }, "the detail shows the failure");
    expect(run).toMatchObject({
      system: "tekton",
      kind: "PipelineRun",
      app: "payments",
      sha: commitTruth(sim, "payments-build-2")?.sha,
      title: "e2e",
      live: true,
    });
    expect(run.groups.map((g) => [g.name, g.title, g.podName])).toEqual([
      [`${verify.name}-selenium`, "selenium", pod],
    ]);
    expect(run.groups[0].steps.map((s) => `${s.name} ${s.container} ${s.status} ${s.log}`)).toEqual(
      [
        "wait-for-rollout step-wait-for-rollout succeeded pod",
        "run-tests step-run-tests failed pod",
      ],
    );
    expect(run.groups[0].steps[1].exitCode).toBe(1);

    const fromPod = await logs(e2e, `${verify.name}-selenium`, "run-tests");
    expect(fromPod).toMatchObject({
      status: 200,
      source: "pod",
      type: "text/plain; charset=utf-8",
    });
    expect(fromPod.text).toBe(kept.tail);
    e2eText = fromPod.text;
    const rollout = await logs(e2e, `${verify.name}-selenium`, "wait-for-rollout");
    expect(rollout).toMatchObject({ status: 200, source: "pod" });
    expect(rollout.text).toMatch(/successfully rolled out/);
  });

  it("keeps a failed kpack build phase's tail and serves it from the build pod", async () => {
    sim.commit("payments");
    const kept = await eventually(
      () => storedLog("payments-build-3-build-pod", "build"),
      "the failed phase's tail was kept",
    );
    expect(kept).toMatchObject({ step: "build", resource_uid: expect.any(String) });
    expect(kept.tail).toMatch(/ERROR: failed to build: exit status 1\n$/);
    const run = await detail(failedBuild);
    expect(run).toMatchObject({ system: "kpack", kind: "Build", title: "payments", live: true });
    expect(run.status).toBe("failed");
    expect(run.groups[0].steps.map((s) => `${s.name} ${s.status} ${s.exitCode} ${s.log}`)).toEqual([
      "prepare succeeded 0 pod",
      "detect succeeded 0 pod",
      "analyze succeeded 0 pod",
      "restore succeeded 0 pod",
      "build failed 51 pod",
      "export skipped null none",
      "completion skipped null none",
    ]);
    const fromPod = await logs(failedBuild, "payments-build-3", kept.step);
    expect(fromPod).toMatchObject({ status: 200, source: "pod", text: kept.tail });
    buildText = fromPod.text;
  });

  it("serves the kept tails from Postgres once the cluster pruned the runs and their pods", async () => {
    // kp image patch --failed-build-history-limit 0: the next finished build prunes build 3.
    const { custom } = clients(sim.kubeconfigPath, "staging");
    await custom.patchNamespacedCustomObject(
      {
        group: "kpack.io",
        version: "v1alpha2",
        namespace: "apps",
        plural: "images",
        name: "payments",
        body: { spec: { failedBuildHistoryLimit: 0 } },
      },
      mergePatch,
    );
    sim.commit("payments");
    await eventually(() => deleted("Build", failedBuild.name), "build 3 pruned");
    await eventually(() => deleted("PipelineRun", e2e.name), "the first E2E run pruned", 45_000);

    const run = await detail(e2e);
    expect(run.live).toBe(false);
    expect(run.groups[0].steps.map((s) => `${s.name} ${s.log}`)).toEqual([
      "wait-for-rollout none",
      "run-tests stored",
    ]);
    const stored = await logs(e2e, run.groups[0].name, "run-tests");
    expect(stored).toMatchObject({ status: 200, source: "stored", text: e2eText });
    const gone = await logs(e2e, run.groups[0].name, "wait-for-rollout");
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text)).toEqual({ error: expect.stringMatching(/gone with its pod/) });

    const build = await detail(failedBuild);
    expect(build.live).toBe(false);
    const failed = build.groups[0].steps.find((s) => s.status === "failed");
    expect(failed?.log).toBe("stored");
    const kept = await logs(failedBuild, "payments-build-3", failed?.name ?? "");
    expect(kept).toMatchObject({ status: 200, source: "stored", text: buildText });
  });

  it("retries a read the cluster failed, with backoff, and keeps the tail once it answers", async () => {
    const live = await eventually(
      () =>
        sim
          .truth()
          .commits.flatMap((c) => c.pipelineRuns)
          .find((p) => p.stage === "verify" && p.status === "failed" && p.name !== e2e.name),
      "the second E2E run failed",
    );
    const taskRun = sim.clusters.staging.get("taskruns.tekton.dev", "ci", `${live.name}-selenium`);
    const pod = `${live.name}-selenium-pod`;
    await eventually(() => storedLog(pod, "step-run-tests"), "the watcher's keeper kept it");
    await pool.query("delete from step_logs where pod = $1", [pod]);
    const observed = normalizeResource({ ...taskRun });
    if (!observed.ok) throw observed.error;
    const retrying = startStepLogKeeper({ clusters, pool, log, backoffMs: 20, attempts: 6 });
    try {
      sim.kube.faults.failNext(2, { mode: "error", cluster: "staging" });
      retrying.observe([
        { scope: { cluster: "staging" }, observation: observed.observations[0], object: taskRun },
      ]);
      await retrying.idle();
    } finally {
      await retrying.stop();
    }
    expect(await storedLog(pod, "step-run-tests")).toMatchObject({ step: "run-tests" });
    const retried = logged.filter(
      (l) => l.message.includes("failed; retrying") && (l.fields as { pod?: string }).pod === pod,
    );
    expect(retried.map((l) => (l.fields as { attempt: number }).attempt)).toEqual([1, 2]);
  });
});

describe("the run endpoints", () => {
  it("answer 404 for a run Shiplog never saw", async () => {
    const ref = { cluster: "staging", namespace: "ci", kind: "pipelineruns", name: "never-seen" };
    const res = await routes.detail.GET(request("/x"), context(ref));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/never-seen/) });
    const log = await logs(ref, "a", "b");
    expect(log.status).toBe(404);
  });

  it("answer 401 without credentials, 400 for a bad kind or query", async () => {
    const ref = { cluster: "staging", namespace: "apps", kind: "builds", name: "payments-build-3" };
    expect((await routes.detail.GET(request("/x", false), context(ref))).status).toBe(401);
    const logsRes = await routes.logs.GET(request("/x?group=a&step=b", false), context(ref));
    expect(logsRes.status).toBe(401);
    const bad = await routes.detail.GET(request("/x"), context({ ...ref, kind: "taskruns" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "kind: must be pipelineruns or builds" });
    const noStep = await routes.logs.GET(request("/x?group=a"), context(ref));
    expect(noStep.status).toBe(400);
  });
});
