// The attack suite of issue 18 ("walking around the gate"): an operator (not an approver) tries to
// get a gated change running without a decision through POST /api/v1/reruns, or to create or
// patch objects Shiplog does not watch. One test per attempt, against the simulator on real
// Postgres, through the route handler with API tokens; the watchers watch ci, apps and argocd only.
// Re-runs of runs gated by an approval task inside their pipeline (Approval, ApprovalTask) are
// checked too: Tekton gates those anew by itself, so those tests hold before and after the fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import type { KubeObject } from "@/sim/kube";
import { succeededCondition, waitForCommit } from "@/sim/test-support";
import type { Role } from "../auth/roles";
import { decide } from "../gates/decide";
import type { Gate } from "../gates/store";
import { gateHelpers, person } from "@/test/gates";
import { serveAsApp, startTestEnv, until, type TestEnv } from "@/test/gate-env";
import { storedUids } from "./store";

type Handler = (request: Request, context: unknown) => Promise<Response>;
let env: TestEnv;
let sha: string;
/** A commit of the app whose production gate is openshift-pipelines' ApprovalTask. */
let searchSha: string;
let reruns: Handler;
let tokens: Record<Role, string>;
const PR = "pipelineruns.tekton.dev";
const { gateFor } = gateHelpers(() => env);

beforeAll(async () => {
  env = await startTestEnv(
    {
      seed: 13,
      apps: ["payments", { name: "search", gate: "approvaltask" }],
      rates: NO_FAILURES,
      play: false,
      approvalTaskWebhook: true,
    },
    { namespaces: ["ci", "apps", "argocd"] },
  );
  tokens = await serveAsApp(env, "gate-bypass", {
    KUBECONFIG: env.sim.kubeconfigPath!,
    SHIPLOG_CONTEXTS: "staging=staging,production=production",
  });
  reruns = (await import("@/app/api/v1/reruns/route")).POST as Handler;
  sha = env.sim.commit("payments").sha;
  searchSha = env.sim.commit("search").sha;
  for (const commit of [sha, searchSha])
    await waitForCommit(
      env.sim,
      commit,
      (c) => c.gates.length > 0 && c.deploys.some((d) => d.environment === "staging"),
      "the commit at its production gate",
      30_000,
    );
}, 90_000);

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await env?.close();
});

type Target = { system: string; cluster: string; namespace: string; kind: string; name: string };

async function post(body: Target & { reason?: string }, role: Role = "operator") {
  const res = await reruns(
    new Request("http://localhost/api/v1/reruns", {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    {},
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tekton = (cluster: string, name: string, namespace = "ci"): Target => ({
  system: "tekton",
  cluster,
  namespace,
  kind: "PipelineRun",
  name,
});

/** Shiplog's own writes (its kubeconfig's user) of this verb and kind, optionally in a namespace. */
async function shiplogWrites(cluster: string, verb: string, kind: string, namespace?: string) {
  return (await env.writes({ cluster, verb, kind, ...(namespace ? { namespace } : {}) })).filter(
    (w) => w.user === "shiplog",
  );
}

function find(cluster: "staging" | "production", plural: string, ns: string, name: string) {
  try {
    return env.sim.clusters[cluster].get(plural, ns, name);
  } catch {
    return undefined;
  }
}

/** Waits until ingest stored the object: the re-run API acts only on stored objects. */
const stored = (target: Target) =>
  until(async () => (await storedUids(env.pool, target)).length > 0, `${target.name} stored`);

/**
 * A copy of the commit's staging promote run created PipelineRunPending (a run that must wait for
 * carol to start it), once its gate is open and Shiplog has stored it.
 */
async function heldRun(name: string): Promise<Gate> {
  const truth = env.sim.truth().commits.find((c) => c.sha === sha)!;
  const staging = truth.pipelineRuns.find(
    (p) => p.environment === "staging" && p.stage === "pipeline",
  )!;
  const original = env.sim.clusters.staging.get(PR, "ci", staging.name);
  const meta = original.metadata!;
  env.sim.clusters.staging.create({
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: {
      name,
      namespace: "ci",
      labels: Object.fromEntries(
        Object.entries(meta.labels ?? {}).filter(([k]) => !k.startsWith("tekton.dev/")),
      ),
      annotations: {
        "shiplog.dev/approvers": "carol",
        "shiplog.dev/approval-message": "start when the freeze ends",
      },
    },
    spec: { ...(original.spec as object), status: "PipelineRunPending" },
  });
  const gate = await gateFor(
    (g) => g.kind === "PipelineRun" && g.resource.name === name,
    `the gate of ${name}`,
  );
  await stored(tekton("staging", name));
  return gate;
}

/** Re-runs a PipelineRun as the operator: the API's result and the body Shiplog created. */
async function rerun(cluster: "staging" | "production", name: string) {
  const rerunsOf = async () =>
    (await shiplogWrites(cluster, "create", "PipelineRun")).filter(
      (w) => (w.body as KubeObject).metadata?.labels?.["shiplog.dev/rerun-of"] === name,
    );
  const before = (await rerunsOf()).length;
  const res = await post({ ...tekton(cluster, name), reason: "try again" });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const result = res.body.result as { name: string; heldForApproval?: boolean };
  const created = (await rerunsOf()).slice(before);
  expect(created).toHaveLength(1);
  return { result, body: created[0].body as KubeObject };
}

/** The new run waits: PipelineRunPending, not started, no TaskRun or CustomRun made for it. */
async function expectHeld(name: string) {
  await until(
    async () =>
      succeededCondition(find("staging", PR, "ci", name))?.reason === "PipelineRunPending",
    `${name} marked pending`,
  );
  // Long enough for the simulated Tekton to have started it (its tasks start within ~100 ms).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const run = find("staging", PR, "ci", name)!;
  expect((run.spec as { status?: string }).status).toBe("PipelineRunPending");
  expect(run.status).not.toHaveProperty("startTime");
  expect((run.status as { childReferences?: unknown[] }).childReferences ?? []).toEqual([]);
}

/** The new run's own gate: pending, no decision carried over, the same approvers. */
async function expectNewGate(name: string, old: Gate) {
  const gate = await gateFor(
    (g) => g.kind === "PipelineRun" && g.resource.name === name,
    `the new gate of ${name}`,
  );
  expect(gate.id).not.toBe(old.id);
  expect(gate).toMatchObject({
    status: "pending",
    decisions: [],
    approvers: ["carol"],
    message: "start when the freeze ends",
  });
  return gate;
}

describe("walking around a start gate (PipelineRunPending)", () => {
  it("an operator re-runs a run held at its gate and the new run is held too, behind a new gate", async () => {
    const gate = await heldRun("held-pending");
    const { result, body } = await rerun("staging", "held-pending");
    expect((body.spec as { status?: string }).status).toBe("PipelineRunPending");
    expect(body.metadata?.annotations).toMatchObject({ "shiplog.dev/approvers": "carol" });
    expect(result.heldForApproval).toBe(true);
    await expectHeld(result.name);
    await expectNewGate(result.name, gate);
    // The original still waits for its own decision.
    expect((find("staging", PR, "ci", "held-pending")!.spec as { status?: string }).status).toBe(
      "PipelineRunPending",
    );
  });

  it("an operator re-runs a run whose start gate was approved, and the approval does not carry over", async () => {
    const gate = await heldRun("held-approved");
    await decide(env.pool, gate.id, person("carol"), { decision: "approve", comment: null });
    await until(async () => {
      const run = find("staging", PR, "ci", "held-approved");
      return run && (run.spec as { status?: string }).status === undefined && run.status;
    }, "the approved run started");
    const { result, body } = await rerun("staging", "held-approved");
    expect((body.spec as { status?: string }).status).toBe("PipelineRunPending");
    expect(result.heldForApproval).toBe(true);
    await expectHeld(result.name);
    await expectNewGate(result.name, gate);
  });

  it("an operator re-runs a run whose start gate was rejected, and the new run is held again", async () => {
    const gate = await heldRun("held-rejected");
    await decide(env.pool, gate.id, person("carol"), {
      decision: "reject",
      comment: "not during the freeze",
    });
    await until(
      async () =>
        (find("staging", PR, "ci", "held-rejected")?.spec as { status?: string }).status ===
        "Cancelled",
      "the rejected run cancelled",
    );
    const { result, body } = await rerun("staging", "held-rejected");
    expect((body.spec as { status?: string }).status).toBe("PipelineRunPending");
    expect(result.heldForApproval).toBe(true);
    await expectHeld(result.name);
    await expectNewGate(result.name, gate);
  });
});

describe("walking around an approval task inside the pipeline (verified, not assumed)", () => {
  const production = (commit = sha) =>
    env.sim
      .truth()
      .commits.find((c) => c.sha === commit)!
      .pipelineRuns.find((p) => p.environment === "production" && p.stage === "pipeline")!;

  /** The re-run waits at a new gate of its approve task and never reaches git-cli (the deploy). */
  async function expectWaitsAtNewGate(newRun: string, old: Gate) {
    const gate = await gateFor(
      (g) => g.kind === old.kind && g.resource.name.startsWith(`${newRun}-`),
      `the ${old.kind} gate of ${newRun}`,
    );
    expect(gate.id).not.toBe(old.id);
    expect(gate).toMatchObject({ status: "pending", decisions: [], environment: "production" });
    await until(
      async () =>
        succeededCondition(find("production", "customruns.tekton.dev", "ci", gate.resource.name))
          ?.status === "Unknown",
      "the new CustomRun waiting",
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(find("production", "taskruns.tekton.dev", "ci", `${newRun}-git-cli`)).toBeUndefined();
    expect(succeededCondition(find("production", PR, "ci", newRun))?.status).toBe("Unknown");
    return gate;
  }

  it("an operator re-runs a production run waiting at its Approval gate and the new run waits at a new gate", async () => {
    const gate = await gateFor((g) => g.kind === "Approval" && g.sha === sha, "the gate");
    await stored(tekton("production", production().name));
    const { result, body } = await rerun("production", production().name);
    // Not a start gate: the run starts, and its pipeline's approve task opens a gate of its own.
    expect((body.spec as { status?: string }).status).toBeUndefined();
    expect(result.heldForApproval).toBeUndefined();
    await expectWaitsAtNewGate(result.name, gate);
  });

  it("an operator re-runs a production run rejected at its Approval gate and the new run waits at a new gate", async () => {
    const gate = await gateFor((g) => g.kind === "Approval" && g.sha === sha, "the gate");
    await decide(env.pool, gate.id, person("bob"), {
      decision: "reject",
      comment: "CVE in the base image",
    });
    await waitForCommit(
      env.sim,
      sha,
      (c) => c.pipelineRuns.some((p) => p.name === production().name && p.status === "failed"),
      "the rejected production run failed",
    );
    const { result } = await rerun("production", production().name);
    await expectWaitsAtNewGate(result.name, gate);
  });

  it("an operator re-runs a production run waiting at its ApprovalTask and the new run waits at a new ApprovalTask", async () => {
    const gate = await gateFor(
      (g) => g.kind === "ApprovalTask" && g.sha === searchSha,
      "the ApprovalTask gate",
    );
    await stored(tekton("production", production(searchSha).name));
    const { result } = await rerun("production", production(searchSha).name);
    expect(result.heldForApproval).toBeUndefined();
    const newGate = await expectWaitsAtNewGate(result.name, gate);
    // openshift-pipelines' ApprovalTask of the new run's CustomRun, undecided.
    expect(
      find("production", "approvaltasks.openshift-pipelines.org", "ci", newGate.resource.name)
        ?.status,
    ).toMatchObject({ state: "pending" });
  });
});

describe("acting on objects Shiplog does not watch", () => {
  beforeAll(async () => {
    // Another team's namespace in a watched cluster: not in the watched namespaces.
    const staging = env.sim.clusters.staging;
    staging.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-b" } });
    const run = env.sim
      .truth()
      .commits.find((c) => c.sha === sha)!
      .pipelineRuns.find((p) => p.environment === "staging" && p.stage === "pipeline")!;
    staging.create({
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { name: "their-run", namespace: "team-b" },
      spec: { ...(staging.get(PR, "ci", run.name).spec as object), status: "PipelineRunPending" },
    });
    const app = env.sim.clusters.production.get(
      "applications.argoproj.io",
      "argocd",
      "payments-production",
    );
    env.sim.clusters.production.create({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-b" },
    });
    env.sim.clusters.production.create({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "their-app", namespace: "team-b" },
      spec: app.spec,
    });
  });

  const cases: Array<[string, Target, string]> = [
    [
      "an operator re-runs a PipelineRun in a namespace Shiplog does not watch",
      tekton("staging", "their-run", "team-b"),
      "PipelineRun",
    ],
    [
      "an operator syncs an Argo CD Application in a namespace Shiplog does not watch",
      {
        system: "argocd",
        cluster: "production",
        namespace: "team-b",
        kind: "Application",
        name: "their-app",
      },
      "Application",
    ],
  ];
  it.each(cases)("%s, and nothing in the cluster changes", async (_title, target, kind) => {
    const res = await post(target);
    expect(res.body).toEqual({
      error: `Shiplog has not stored ${kind} team-b/${target.name} in ${target.cluster}: it acts only on objects it watches; check the name, or wait until the object shows on its timeline`,
    });
    expect(res.status).toBe(404);
    for (const verb of ["create", "patch"])
      expect(await shiplogWrites(target.cluster, verb, kind, "team-b")).toEqual([]);
    await expectRefusalAudited(target, res.body.error as string);
  });
});

/** The refusal is in the audit log as denied, with its reason, and no Action was recorded. */
async function expectRefusalAudited(target: Target, error: string) {
  const audit = await env.pool.query(
    "select actor, action, outcome, details from audit_log where target = $1",
    [`${target.system}:${target.cluster}/${target.namespace}/${target.kind}/${target.name}`],
  );
  expect(audit.rows).toEqual([
    {
      actor: "token:t-operator",
      action: target.system === "argocd" ? "action.sync" : `action.${defaultOp(target)}`,
      outcome: "denied",
      details: { status: "refused", error, reason: null },
    },
  ]);
  const actions = await env.pool.query(
    "select 1 from actions where cluster = $1 and namespace = $2 and name = $3",
    [target.cluster, target.namespace, target.name],
  );
  expect(actions.rowCount).toBe(0);
}

const defaultOp = (target: Target) => (target.system === "kpack" ? "rebuild" : "rerun");

describe("what an operator may name", () => {
  const cases: Array<[string, Target, string]> = [
    [
      "an operator smuggles a label selector into a kpack Image name",
      {
        system: "kpack",
        cluster: "staging",
        namespace: "apps",
        kind: "Image",
        name: "payments,image.kpack.io/buildNumber=1",
      },
      `name "payments,image.kpack.io/buildNumber=1" must be a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
    ],
    [
      "an operator walks out of the namespace with a path in it",
      tekton("staging", "held-pending", "ci/pipelineruns/held-pending/../../../team-b"),
      `namespace "ci/pipelineruns/held-pending/../../../team-b" must be a Kubernetes namespace: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    ],
    [
      "an operator names an object with a path in its name",
      tekton("staging", "../../team-b/pipelineruns/their-run"),
      `name "../../team-b/pipelineruns/their-run" must be a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
    ],
  ];
  it.each(cases)("%s, and is refused before the cluster is asked", async (_t, target, error) => {
    // What the API could do with these: create a PipelineRun, or patch a Build.
    const writes = async () => [
      ...(await shiplogWrites("staging", "create", "PipelineRun")),
      ...(await shiplogWrites("staging", "patch", "Build")),
    ];
    const before = await writes();
    const res = await post(target);
    expect(res.body).toEqual({ error });
    expect(res.status).toBe(400);
    expect(await writes()).toEqual(before);
    await expectRefusalAudited(target, error);
  });

  it("an operator sends the spec to create along with the target, and is refused and audited", async () => {
    const res = await reruns(
      new Request("http://localhost/api/v1/reruns", {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.operator}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          ...tekton("staging", "held-pending"),
          spec: { pipelineRef: { name: "promote" } },
        }),
      }),
      {},
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "unknown field spec" });
    const audit = await env.pool.query(
      "select actor, action, target, outcome, details from audit_log where details->>'error' = 'unknown field spec'",
    );
    expect(audit.rows).toEqual([
      {
        actor: "token:t-operator",
        action: "action.rerun",
        target: null,
        outcome: "denied",
        details: { status: "refused", error: "unknown field spec", reason: null },
      },
    ]);
  });

  it("an operator re-runs a PipelineRun replaced under the same name since Shiplog stored it", async () => {
    // What a replacement looks like to Shiplog before its watch catches up: the stored object of
    // that name has another uid than the one the cluster holds.
    const target = tekton("staging", "held-pending");
    await env.pool.query(
      `update resources set object = jsonb_set(object, '{metadata,uid}', '"the-replaced-one"')
        where cluster = 'staging' and key = 'tekton:PipelineRun:ci/held-pending'`,
    );
    const before = (await shiplogWrites("staging", "create", "PipelineRun")).length;
    const res = await post(target);
    expect(res.body).toEqual({
      error:
        "PipelineRun ci/held-pending in staging is not the object Shiplog has stored (it was replaced); wait until the new one shows on its timeline",
    });
    expect(res.status).toBe(404);
    expect(await shiplogWrites("staging", "create", "PipelineRun")).toHaveLength(before);
    const { rows } = await env.pool.query<{ status: string }>(
      "select status from actions where name = 'held-pending' order by created_at desc limit 1",
    );
    expect(rows[0].status).toBe("refused");
  });

  it("an operator names a cluster Shiplog is not configured for, and the refusal is audited", async () => {
    const target = tekton("moon", "held-pending");
    const res = await post(target);
    expect(res.status).toBe(400);
    const error = "unknown cluster moon";
    expect(res.body).toEqual({ error });
    await expectRefusalAudited(target, error);
  });
});
