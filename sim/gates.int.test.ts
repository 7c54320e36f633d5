// The production approval gates, decided as Shiplog (or a person) would: Shiplog's Approval
// CustomRun through /status with client-node (True continues, False fails the run), and
// openshift-pipelines' ApprovalTask through spec.approvers[].input; then the ground truth.
import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES, type Truth } from "./index";
import {
  clients,
  mergePatch,
  objectIn,
  startTestSimulator,
  succeededCondition as cond,
  waitFor,
  waitForCommit,
  type AppStatus,
  type TestSimulator,
} from "./test-support";

let sim: TestSimulator;
let sha: string;
let digest: string;
const get = (cluster: string, type: string, ns: string, name: string) =>
  objectIn(sim, cluster, type, ns, name);

beforeAll(async () => {
  sim = await startTestSimulator({
    seed: 11,
    apps: ["payments", { name: "search", gate: "approvaltask" }],
    rates: NO_FAILURES,
    play: false,
  });
  sha = sim.commit("payments").sha;
});
afterAll(() => sim?.close());

function approveStatus(status: "True" | "False") {
  return {
    status: {
      conditions: [
        {
          type: "Succeeded",
          status,
          reason: status === "True" ? "Approved" : "Rejected",
          message: `${status === "True" ? "approved" : "rejected"} by carol`,
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        },
      ],
    },
  };
}

async function productionGate(sha: string) {
  const c = await waitForCommit(
    sim,
    sha,
    (c) => c.gates.length > 0,
    "the production approval CustomRun",
  );
  return c.gates[0];
}

describe("approval gates", () => {
  it("waits at the production approval until a controller writes Succeeded=True through /status", async () => {
    const gate = await productionGate(sha);
    digest = sim.truth().commits.find((c) => c.sha === sha)!.builds[0].digest!;
    expect(gate).toMatchObject({
      cluster: "production",
      namespace: "ci",
      environment: "production",
      kind: "Approval",
      status: "pending",
    });
    const cr = get("production", "customruns.tekton.dev", "ci", gate.name);
    expect(cr.spec).toMatchObject({
      customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" },
      params: [
        { name: "approvers", value: ["alice", "bob", "group:release-managers"] },
        { name: "minApprovals", value: "1" },
        { name: "message", value: `Promote payments ${digest} to production` },
      ],
    });
    expect(cr.status).toBeUndefined();
    await new Promise((r) => setTimeout(r, 400)); // many task durations: still waiting
    const pr = get("production", "pipelineruns.tekton.dev", "ci", gate.pipelineRun);
    expect(cond(pr)).toMatchObject({ status: "Unknown", reason: "Running" });
    expect((pr.status as { childReferences: unknown[] }).childReferences).toHaveLength(2);

    const { custom } = clients(sim.kubeconfigPath, "production");
    await custom.patchNamespacedCustomObjectStatus(
      {
        group: "tekton.dev",
        version: "v1beta1",
        namespace: "ci",
        plural: "customruns",
        name: gate.name,
        body: approveStatus("True"),
      },
      mergePatch,
    );
    const done = await waitForCommit(
      sim,
      sha,
      (c) =>
        c.pipelineRuns.some(
          (p) =>
            p.environment === "production" && p.stage === "pipeline" && p.status === "succeeded",
        ),
      "the production promote run",
    );
    expect(done.gates[0].status).toBe("approved");
    const prod = get("production", "pipelineruns.tekton.dev", "ci", gate.pipelineRun);
    const manifests = (
      prod.status as { results: Array<{ name: string; value: string }> }
    ).results.find((r) => r.name === "commit")!.value;
    const app = get("production", "applications.argoproj.io", "argocd", "payments-production");
    const st = app.status as AppStatus;
    expect(st.operationState).toMatchObject({
      phase: "Succeeded",
      operation: { initiatedBy: { username: "tekton-pipeline" }, sync: { revision: manifests } },
      syncResult: { revision: manifests },
    });
    expect(st.history.at(-1)?.revision).toBe(manifests);
    expect(st.health.status).toBe("Healthy");
    expect(st.summary.images).toEqual([`harbor.shiplog.test/shop/payments@${digest}`]);
    await waitForCommit(
      sim,
      sha,
      (c) => c.pipelineRuns.some((p) => p.environment === "production" && p.stage === "verify"),
      "the production verify run",
    );
  });

  it("fails the PipelineRun when the approval is rejected (Succeeded=False)", async () => {
    const second = sim.commit("payments").sha;
    const gate = await productionGate(second);
    const { custom } = clients(sim.kubeconfigPath, "production");
    await custom.patchNamespacedCustomObjectStatus(
      {
        group: "tekton.dev",
        version: "v1beta1",
        namespace: "ci",
        plural: "customruns",
        name: gate.name,
        body: approveStatus("False"),
      },
      mergePatch,
    );
    const c = await waitForCommit(
      sim,
      second,
      (c) => c.pipelineRuns.some((p) => p.environment === "production" && p.status === "failed"),
      "the failed production run",
    );
    expect(c.gates[0].status).toBe("rejected");
    const pr = get("production", "pipelineruns.tekton.dev", "ci", gate.pipelineRun);
    expect(cond(pr)).toMatchObject({
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 2",
    });
    expect((pr.status as { skippedTasks: unknown }).skippedTasks).toEqual([
      { name: "git-cli", reason: "PipelineRun was stopping" },
      { name: "argocd-sync", reason: "PipelineRun was stopping" },
    ]);
    expect(c.deploys.filter((d) => d.environment === "production")).toEqual([]);
  });

  it("plays openshift-pipelines' ApprovalTask: decided through spec.approvers[].input", async () => {
    const s = sim.commit("search").sha;
    const gate = await productionGate(s);
    expect(gate.kind).toBe("ApprovalTask");
    const task = await waitFor(() => {
      const t = sim.clusters.production.get(
        "approvaltasks.openshift-pipelines.org",
        "ci",
        gate.name,
      );
      return (t.status as { state?: string } | undefined)?.state ? t : undefined;
    }, "the ApprovalTask");
    const cr = get("production", "customruns.tekton.dev", "ci", gate.name);
    expect(task.metadata.labels).toMatchObject({
      "tekton.dev/customRun": gate.name,
      "tekton.dev/pipelineRun": gate.pipelineRun,
    });
    expect(task.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "CustomRun", name: gate.name, uid: cr.metadata.uid }),
    ]);
    expect(task.spec).toMatchObject({
      approvers: [
        { name: "alice", type: "User", input: "pending" },
        { name: "bob", type: "User", input: "pending" },
        { name: "release-managers", type: "Group", input: "pending" },
      ],
      numberOfApprovalsRequired: 1,
    });
    expect(task.status).toMatchObject({
      state: "pending",
      approvalsRequired: 1,
      approvalsReceived: 0,
    });
    expect(cond(cr)).toMatchObject({ status: "Unknown" });

    const { custom } = clients(sim.kubeconfigPath, "production");
    const approvers = structuredClone(
      (task.spec as { approvers: Array<Record<string, string>> }).approvers,
    );
    approvers[1].input = "approve";
    approvers[1].message = "ship it";
    await custom.patchNamespacedCustomObject(
      {
        group: "openshift-pipelines.org",
        version: "v1alpha1",
        namespace: "ci",
        plural: "approvaltasks",
        name: gate.name,
        body: { spec: { approvers } },
      },
      mergePatch,
    );
    await waitForCommit(
      sim,
      s,
      (c) =>
        c.pipelineRuns.some(
          (p) =>
            p.environment === "production" && p.stage === "pipeline" && p.status === "succeeded",
        ),
      "the production run after approval",
    );
    expect(cond(get("production", "customruns.tekton.dev", "ci", gate.name))).toMatchObject({
      status: "True",
      reason: "Succeeded",
      message: "TaskRun succeeded",
    });
    expect(
      get("production", "approvaltasks.openshift-pipelines.org", "ci", gate.name).status,
    ).toMatchObject({
      state: "approved",
      approvalsReceived: 1,
      approversResponse: [{ name: "bob", type: "User", response: "approved", message: "ship it" }],
    });
  });

  it("serves its ground truth at GET /_sim/truth", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${sim.kube.url}/_sim/truth`, { ca: sim.kube.certs.caPem }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve(text));
        })
        .on("error", reject);
    });
    const truth = JSON.parse(body) as Truth;
    expect(truth.seed).toBe(11);
    expect(truth.apps.map((a) => a.name)).toEqual(["payments", "search"]);
    const c = truth.commits.find((x) => x.sha === sha)!;
    expect(c).toMatchObject({
      app: "payments",
      repoUrl: "https://gitlab.example.com/shop/payments",
      bootstrap: false,
    });
    expect(c.builds.map((b) => b.name)).toEqual(["payments-build-2"]);
    expect(c.pipelineRuns.map((p) => `${p.cluster}:${p.stage}:${p.status}`).sort()).toEqual([
      "production:pipeline:succeeded",
      "production:verify:succeeded",
      "staging:pipeline:succeeded",
      "staging:verify:succeeded",
    ]);
    expect(c.deploys.map((d) => `${d.application}:${d.status}:${d.health}`).sort()).toEqual([
      "payments-production:succeeded:Healthy",
      "payments-staging:succeeded:Healthy",
    ]);
    const first = truth.commits.filter((x) => x.bootstrap);
    expect(first.map((x) => x.app)).toEqual(["payments", "search"]);
    expect(first[0].deploys).toHaveLength(2);
  });
});
