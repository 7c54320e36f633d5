// Operators' re-runs through the HTTP route, against the simulator on real Postgres: a re-run, a
// rebuild and a sync each make a new attempt on the same commit's timeline; Idempotency-Key
// repeats make nothing new; the role is checked; a sync is refused while an operation runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import { waitForCommit } from "@/sim/test-support";
import type { Role } from "../auth/roles";
import type { CommitTimeline } from "../timeline/types";
import { serveAsApp, startTestEnv, until, type TestEnv } from "@/test/gate-env";

type Handler = (request: Request, context: unknown) => Promise<Response>;
let env: TestEnv;
let sha: string;
let reruns: Handler;
let commitRoute: Handler;
let tokens: Record<Role, string>;
const AUTH_URL = "http://localhost";

beforeAll(async () => {
  env = await startTestEnv({
    seed: 5,
    apps: ["payments"],
    rates: NO_FAILURES,
    play: false,
    // A sync runs long enough (~1.2 s) that a second request surely finds it running.
    durations: { syncRunning: 40_000 },
  });
  tokens = await serveAsApp(env, "actions", {
    KUBECONFIG: env.sim.kubeconfigPath!,
    SHIPLOG_CONTEXTS: "staging=staging,production=production",
  });
  reruns = (await import("@/app/api/v1/reruns/route")).POST as Handler;
  commitRoute = (await import("@/app/api/v1/commits/[sha]/route")).GET as Handler;
  sha = env.sim.commit("payments").sha;
  await waitForCommit(
    env.sim,
    sha,
    (c) => c.gates.length > 0 && c.deploys.some((d) => d.environment === "staging"),
    "the commit at its production gate",
    30_000,
  );
}, 90_000);

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await env?.close();
});

function post(role: Role, body: unknown, key?: string) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${tokens[role]}`,
    "content-type": "application/json",
  };
  if (key) headers["idempotency-key"] = key;
  return reruns(
    new Request(`${AUTH_URL}/api/v1/reruns`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    }),
    {},
  );
}

/** The commit's timeline through the read API (GET /api/v1/commits/{sha}), as a viewer. */
async function timeline(): Promise<CommitTimeline> {
  const res = await commitRoute(
    new Request(`${AUTH_URL}/api/v1/commits/${sha}?app=payments`, {
      headers: { authorization: `Bearer ${tokens.viewer}` },
    }),
    { params: Promise.resolve({ sha }) },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as CommitTimeline;
}

describe("re-runs", () => {
  it("syncs an Argo CD Application as the operator, and refuses while an operation runs", async () => {
    const body = {
      system: "argocd",
      cluster: "staging",
      namespace: "argocd",
      kind: "Application",
      name: "payments-staging",
    };
    const before = (await timeline()).stages.find(
      (s) => s.stage === "deploy" && s.environment === "staging",
    );
    expect(before).toBeDefined();
    const res = await post("operator", body, "sync-1");
    expect(res.status).toBe(202);
    const refused = await post("operator", body, "sync-2");
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: "another operation is already in progress" });
    const rows = await env.pool.query<{ status: string }>(
      "select status from actions where idempotency_key in ('sync-1', 'sync-2') order by idempotency_key",
    );
    expect(rows.rows.map((r) => r.status)).toEqual(["succeeded", "refused"]);
    const app = await until(async () => {
      const a = env.sim.clusters.staging.get(
        "applications.argoproj.io",
        "argocd",
        "payments-staging",
      );
      const op = (
        a.status as {
          operationState?: { phase: string; operation: { initiatedBy?: { username?: string } } };
        }
      ).operationState;
      return op?.phase === "Succeeded" && op.operation.initiatedBy?.username === "token:t-operator"
        ? a
        : undefined;
    }, "the operator's sync");
    expect(app.operation).toBeUndefined();
    // The sync is on the commit's timeline: its deploy row (this revision of the Application) holds
    // the operator's operation, and the automated sync before it is attempt 1.
    const synced = await until(async () => {
      const { rows } = await env.pool.query(
        `select r.status from resources r join commits c on c.id = r.commit_id
          where c.sha = $1 and r.kind = 'Application' and r.cluster = 'staging'
            and r.object->'status'->'operationState'->'operation'->'initiatedBy'->>'username' = 'token:t-operator'
            and r.object->'status'->'operationState'->>'phase' = 'Succeeded' and r.status = 'succeeded'`,
        [sha],
      );
      return rows[0] as { status: string } | undefined;
    }, "the operator's sync on the commit's deploy");
    expect(synced.status).toBe("succeeded");
    // Argo CD's history now holds two syncs of this revision: the operator's is attempt 2.
    const deploys = (await timeline()).stages.filter(
      (x) => x.stage === "deploy" && x.environment === "staging",
    );
    expect(deploys.map((d) => [d.attempt, d.attempts, d.status, d.latest])).toEqual([
      [1, 2, "succeeded", false],
      [2, 2, "succeeded", true],
    ]);
    const op = (app.status as { operationState: { startedAt: string } }).operationState;
    expect(deploys[1]!.startedAt).toBe(new Date(op.startedAt).toISOString());
    const hard = await post("operator", { ...body, operation: "hard-refresh" });
    expect(hard.status).toBe(202);
    const refresh = (
      await env.writes({ cluster: "staging", verb: "patch", kind: "Application" })
    ).at(-1);
    expect(refresh?.body).toEqual({
      metadata: { annotations: { "argocd.argoproj.io/refresh": "hard" } },
    });
  });

  it("re-runs a PipelineRun once per Idempotency-Key; the new run is attempt 2 on the same commit", async () => {
    const original = env.sim
      .truth()
      .commits.find((c) => c.sha === sha)!
      .pipelineRuns.find((p) => p.environment === "staging" && p.stage === "pipeline")!;
    const body = {
      system: "tekton",
      cluster: "staging",
      namespace: "ci",
      kind: "PipelineRun",
      name: original.name,
      reason: "flaky git push",
    };
    expect((await post("viewer", body, "rerun-1")).status).toBe(403);
    const denied = await post("approver", body, "rerun-1");
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      error: 'this needs the operator role; token "t-approver" has viewer, approver',
    });
    const [a, b] = await Promise.all([
      post("operator", body, "rerun-1"),
      post("operator", body, "rerun-1"),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const first = (await a.json()) as { id: string };
    expect(((await b.json()) as { id: string }).id).toBe(first.id);
    const again = (await (await post("operator", body, "rerun-1")).json()) as {
      id: string;
      status: string;
      result: { name: string };
    };
    expect(again).toMatchObject({ id: first.id, status: "succeeded" });
    const reused = await post("admin", body, "rerun-1");
    expect(reused.status).toBe(409);
    expect(await reused.json()).toEqual({
      error: "this Idempotency-Key was already used for a different request",
    });
    const creates = await env.writes({ cluster: "staging", verb: "create", kind: "PipelineRun" });
    const mine = creates.filter((w) => w.user === "shiplog");
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toMatchObject({
      metadata: {
        generateName: `${original.name}-r-`,
        labels: { "shiplog.dev/rerun-of": original.name, "shiplog.dev/app": "payments" },
      },
    });
    expect(JSON.stringify(mine[0].body)).not.toMatch(/"status"|tekton\.dev\/pipelineRun/);
    const stage = await until(
      async () =>
        (await timeline()).stages.find(
          (s) => s.stage === "pipeline" && s.resource?.name === again.result.name,
        ),
      "the re-run on the commit's timeline",
    );
    expect(stage).toMatchObject({ attempt: 2, attempts: 2, rerunOf: original.name });
    const audit = await env.pool.query(
      "select outcome, details->>'status' as status from audit_log where action = 'action.rerun' order by id",
    );
    expect(audit.rows).toEqual([
      { outcome: "success", status: "accepted" },
      { outcome: "success", status: "succeeded" },
    ]);
  });

  it("rebuilds a kpack Image (annotation on its newest Build): a TRIGGER Build, attempt 2", async () => {
    const body = {
      system: "kpack",
      cluster: "staging",
      namespace: "apps",
      kind: "Build",
      name: "payments-build-2",
    };
    const res = await post("operator", body, "rebuild-1");
    expect(res.status).toBe(202);
    expect((await (await post("operator", body, "rebuild-1")).json()) as object).toMatchObject({
      result: { kind: "Image", name: "payments", triggeredOn: "payments-build-2" },
    });
    const patches = (await env.writes({ cluster: "staging", verb: "patch", kind: "Build" })).filter(
      (w) => w.user === "shiplog",
    );
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({
      name: "payments-build-2",
      patchType: "merge",
      body: {
        metadata: { annotations: { "image.kpack.io/additionalBuildNeeded": expect.any(String) } },
      },
    });
    const stage = await until(
      async () =>
        (await timeline()).stages.find(
          (s) =>
            s.stage === "build" &&
            s.resource?.name === "payments-build-3" &&
            s.status === "succeeded",
        ),
      "the rebuild on the commit's timeline",
      30_000,
    );
    expect(stage).toMatchObject({ attempt: 2, attempts: 2, details: { reason: "TRIGGER" } });
  });

  it("refuses bad input with a reason and makes nothing", async () => {
    const res = await post("operator", {
      system: "kpack",
      cluster: "staging",
      namespace: "apps",
      kind: "Application",
      name: "x",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error:
        "cannot act on kpack Application: re-run a tekton PipelineRun, rebuild a kpack Image or Build, sync an argocd Application",
    });
    const unknown = await post("operator", {
      system: "tekton",
      cluster: "moon",
      namespace: "ci",
      kind: "PipelineRun",
      name: "x",
    });
    expect(await unknown.json()).toEqual({ error: "unknown cluster moon" });
  });
});
