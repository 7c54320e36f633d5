// Shiplog as the controller of the Approval custom task in the simulator's release pipeline, on
// real Postgres: gates open for the production promote runs (and a PipelineRun held pending, and an
// ApprovalTask), decisions resume or fail them, and the outcome names who decided and why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import { clients, mergePatch, succeededCondition, waitForCommit } from "@/sim/test-support";
import { rerunPipelineRun } from "../actions/bodies";
import { BadInput, Conflict, Forbidden } from "../errors";
import { decide } from "./decide";
import type { Decider } from "./policy";
import { getGate } from "./store";
import { gateHelpers, person } from "@/test/gates";
import { startTestEnv, until, type TestEnv } from "@/test/gate-env";
import { getCommitTimeline } from "../db/timeline";

let firstSha: string;
const AT = "approvaltasks.openshift-pipelines.org";
let env: TestEnv;
const { customRun, cond, gateFor, statusWrites } = gateHelpers(() => env);

beforeAll(async () => {
  env = await startTestEnv(
    {
      seed: 11,
      apps: ["payments", { name: "search", gate: "approvaltask" }],
      rates: NO_FAILURES,
      play: false,
      approvalTaskWebhook: true,
    },
    // No polling: a decision reaches the cluster only through NOTIFY.
    { tickMs: 600_000 },
  );
}, 60_000);
afterAll(async () => {
  await env?.close();
});

describe("gates in the release pipeline", () => {
  it("opens a gate for the production promote run; approving resumes it and Argo CD syncs production", async () => {
    const sha = env.sim.commit("payments").sha;
    firstSha = sha;
    const gate = await gateFor((g) => g.kind === "Approval" && g.sha === sha, "the gate");
    expect(gate).toMatchObject({
      app: "payments",
      environment: "production",
      status: "pending",
      approvers: ["alice", "bob", "group:release-managers"],
      minApprovals: 1,
      resource: { system: "tekton", kind: "CustomRun", namespace: "ci" },
    });
    expect(gate.message).toMatch(/^Promote payments sha256:/);
    await until(async () => cond(gate.resource.name)?.status === "Unknown", "running");
    expect(cond(gate.resource.name)).toMatchObject({ reason: "AwaitingApproval" });

    const decidedAt = Date.now();
    const decided = await decide(env.replicas[1].pool, gate.id, person("alice"), {
      decision: "approve",
      comment: "scan is clean",
    });
    expect(decided.status).toBe("approved");
    await until(async () => cond(gate.resource.name)?.status === "True", "the approval written");
    const latencyMs = Date.now() - decidedAt;
    expect(latencyMs).toBeLessThan(1000);
    expect(decided.decisions).toMatchObject([
      { user: "alice@example.com", decision: "approve", comment: "scan is clean" },
    ]);
    await waitForCommit(
      env.sim,
      sha,
      (c) =>
        c.pipelineRuns.some(
          (p) =>
            p.environment === "production" && p.stage === "pipeline" && p.status === "succeeded",
        ) && c.deploys.some((d) => d.environment === "production" && d.status === "succeeded"),
      "the production run and sync",
      30_000,
    );
    expect(cond(gate.resource.name)).toMatchObject({
      status: "True",
      reason: "Approved",
      message: 'Approved by alice@example.com ("scan is clean")',
    });
    const writes = await statusWrites(gate.resource.name);
    expect(writes.map((w) => [w.user, w.patchType])).toEqual([
      ["shiplog", "merge"],
      ["shiplog", "merge"],
    ]);
    const audit = await env.pool.query(
      "select actor, outcome, details from audit_log where action = 'gate.decide' and target = $1",
      [`gate:${gate.id}`],
    );
    expect(audit.rows).toMatchObject([
      { actor: "alice@example.com", outcome: "success", details: { gateStatus: "approved" } },
    ]);
    const events = await env.pool.query<{ type: string; payload: unknown }>(
      "select type, payload from events where type = 'gate' and payload->>'id' = $1 order by id",
      [gate.id],
    );
    expect(events.rows.map((e) => e.payload)).toEqual([
      { id: gate.id, status: "pending" },
      { id: gate.id, status: "approved" },
    ]);
    const timeline = await env.pool.query(
      "select 1 from events where type = 'timeline' and payload->>'sha' = $1",
      [sha],
    );
    expect(timeline.rowCount).toBeGreaterThan(0);
  });

  it("shows a PipelineRun created as PipelineRunPending as a gate; approving starts it", async () => {
    const truth = env.sim.truth().commits.find((c) => c.sha === firstSha)!;
    const staging = truth.pipelineRuns.find(
      (p) => p.environment === "staging" && p.stage === "pipeline",
    )!;
    const original = env.sim.clusters.staging.get("pipelineruns.tekton.dev", "ci", staging.name);
    const held = rerunPipelineRun(original);
    env.sim.clusters.staging.create({
      ...held,
      metadata: {
        ...held.metadata,
        generateName: undefined,
        name: "held-promote",
        annotations: {
          "shiplog.dev/approvers": "carol",
          "shiplog.dev/approval-message": "start when the freeze ends",
        },
      },
      spec: { ...held.spec, status: "PipelineRunPending" },
    } as never);
    const gate = await gateFor(
      (g) => g.kind === "PipelineRun" && g.resource.name === "held-promote",
      "the pending run's gate",
    );
    expect(gate).toMatchObject({
      status: "pending",
      approvers: ["carol"],
      message: "start when the freeze ends",
      environment: "staging",
      resource: { kind: "PipelineRun", namespace: "ci", name: "held-promote" },
    });
    await until(
      async () => (await getGate(env.pool, gate.id))?.sha === firstSha,
      "the pending run linked to its commit",
    );
    const approved = await decide(env.pool, gate.id, person("carol"), {
      decision: "approve",
      comment: null,
    });
    expect(approved.status).toBe("approved");
    const run = await until(async () => {
      const pr = env.sim.clusters.staging.get("pipelineruns.tekton.dev", "ci", "held-promote");
      return succeededCondition(pr)?.status === "True" ? pr : undefined;
    }, "the held run to start and finish");
    expect((run.spec as { status?: string }).status).toBeUndefined();
    const patches = await env.writes({
      cluster: "staging",
      verb: "patch",
      kind: "PipelineRun",
      name: "held-promote",
    });
    expect(patches.map((w) => [w.user, w.patchType, w.body])).toEqual([
      ["shiplog", "merge", { spec: { status: null } }],
    ]);
  });

  it("shows each gate with its decisions on the commit's timeline", async () => {
    const timeline = await getCommitTimeline(firstSha, "payments", env.pool, { links: {} });
    const approvals = timeline.stages.filter((s) => s.stage === "approval");
    const production = approvals.find((s) => s.resource?.kind === "CustomRun");
    expect(production).toMatchObject({
      status: "succeeded",
      environment: "production",
      details: {
        approvers: ["alice", "bob", "group:release-managers"],
        decisions: [{ user: "alice@example.com", decision: "approve", comment: "scan is clean" }],
      },
    });
    expect(production?.details).toHaveProperty("gateId", expect.any(String));
    // The PipelineRun held PipelineRunPending: an approval to start, approved.
    expect(
      approvals.some((s) => s.resource?.kind === "PipelineRun" && s.status === "succeeded"),
    ).toBe(true);
  });

  it("rejects with a comment only, refuses the commit's author, and the run fails naming who and why", async () => {
    const sha = env.sim.commit("payments").sha;
    const gate = await gateFor((g) => g.kind === "Approval" && g.sha === sha, "the gate");
    const { rows } = await env.pool.query<{ author_email: string }>(
      "select author_email from commits where sha = $1",
      [sha],
    );
    const mine = person("author", ["release-managers"]);
    const author: Decider = {
      ...mine,
      actor: rows[0].author_email,
      email: rows[0].author_email,
      self: { ...mine.self!, email: rows[0].author_email },
    };
    await expect(
      decide(env.pool, gate.id, author, { decision: "approve", comment: null }),
    ).rejects.toThrow(
      new Forbidden(`${rows[0].author_email} wrote or pushed this change and may not approve it`),
    );
    await expect(
      decide(env.pool, gate.id, person("bob"), { decision: "reject", comment: "  " }),
    ).rejects.toThrow(new BadInput("a comment is required to reject"));
    await expect(
      decide(env.pool, gate.id, person("mallory"), { decision: "approve", comment: null }),
    ).rejects.toThrow(Forbidden);
    const rejected = await decide(env.pool, gate.id, person("bob"), {
      decision: "reject",
      comment: "CVE-2026-1234 in the base image",
    });
    expect(rejected.status).toBe("rejected");
    await waitForCommit(
      env.sim,
      sha,
      (c) => c.pipelineRuns.some((p) => p.environment === "production" && p.status === "failed"),
      "the failed production run",
    );
    await until(async () => cond(gate.resource.name)?.status === "False", "rejected status");
    expect(cond(gate.resource.name)).toMatchObject({
      reason: "Rejected",
      message: 'Rejected by bob@example.com ("CVE-2026-1234 in the base image")',
    });
    await expect(
      decide(env.pool, gate.id, person("alice"), { decision: "approve", comment: null }),
    ).rejects.toThrow(new Conflict("this gate is already rejected"));
    const denied = await env.pool.query(
      "select count(*)::int as n from audit_log where action = 'gate.decide' and outcome = 'denied' and target = $1",
      [`gate:${gate.id}`],
    );
    expect(denied.rows[0].n).toBe(4);
  });

  it("shows an ApprovalTask as a gate and writes a group member's approval as that person", async () => {
    const sha = env.sim.commit("search").sha;
    const gate = await gateFor(
      (g) => g.kind === "ApprovalTask" && g.sha === sha,
      "the ApprovalTask gate",
    );
    expect(gate).toMatchObject({
      app: "search",
      environment: "production",
      approvers: ["alice", "bob", "group:release-managers"],
      minApprovals: 1,
      resource: { kind: "ApprovalTask", namespace: "ci" },
    });
    // The manual-approval-gate webhook: Shiplog's own account may not approve for someone.
    const { custom } = clients(env.sim.kubeconfigPath, "production");
    const task = env.sim.clusters.production.get(AT, "ci", gate.resource.name);
    const approvers = structuredClone(
      (task.spec as { approvers: Array<Record<string, string>> }).approvers,
    );
    approvers[0].input = "approve";
    await expect(
      custom.patchNamespacedCustomObject(
        {
          group: "openshift-pipelines.org",
          version: "v1alpha1",
          namespace: "ci",
          plural: "approvaltasks",
          name: gate.resource.name,
          body: { spec: { approvers } },
        },
        mergePatch,
      ),
    ).rejects.toThrow(/user shiplog is not an approver of this task/);

    const decided = await decide(env.pool, gate.id, person("erin", ["release-managers"]), {
      decision: "approve",
      comment: "search ranking looks right",
    });
    expect(decided.status).toBe("approved");
    await waitForCommit(
      env.sim,
      sha,
      (c) =>
        c.pipelineRuns.some(
          (p) =>
            p.environment === "production" && p.stage === "pipeline" && p.status === "succeeded",
        ),
      "the production run after the ApprovalTask approval",
      30_000,
    );
    expect(succeededCondition(customRun(gate.resource.name))).toMatchObject({
      status: "True",
      reason: "Succeeded",
      message: "TaskRun succeeded",
    });
    const writes = (
      await env.writes({ cluster: "production", kind: "ApprovalTask", name: gate.resource.name })
    ).filter((w) => w.code === 200);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      verb: "patch",
      user: "erin",
      groups: ["release-managers"],
      impersonatedBy: "shiplog",
      body: {
        spec: {
          approvers: [
            { name: "alice", input: "pending" },
            { name: "bob", input: "pending" },
            {
              name: "release-managers",
              type: "Group",
              input: "approve",
              users: [{ name: "erin", input: "approve", message: "search ranking looks right" }],
            },
          ],
        },
      },
    });
    expect(env.sim.clusters.production.get(AT, "ci", gate.resource.name).status).toMatchObject({
      state: "approved",
      approvalsReceived: 1,
    });
    expect((await getGate(env.pool, gate.id))?.status).toBe("approved");
  });
});
