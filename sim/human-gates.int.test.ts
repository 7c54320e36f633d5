// A commit made with its own story: `humanGates` leaves its approval gates to people while the
// simulator decides everyone else's, and its own `rates` override the scenario's failures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "./index";
import { startTestSimulator, waitForCommit, type TestSimulator } from "./test-support";

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    seed: 11,
    apps: ["payments", { name: "search", gate: "approvaltask" }],
    // Every build fails, unless a commit says otherwise.
    rates: { ...NO_FAILURES, build: 1 },
    decideGates: "approve",
    play: false,
  });
});
afterAll(() => sim?.close());

const finished = (status: string) => ["succeeded", "failed", "cancelled"].includes(status);

describe("commits with their own story", () => {
  it("fails a plain commit's build at the scenario's rate, not one made with no failures", async () => {
    const plain = sim.commit("payments").sha;
    const failed = await waitForCommit(
      sim,
      plain,
      (c) => c.builds.some((b) => finished(b.status)),
      "the plain commit's build",
    );
    expect(failed.builds.map((b) => b.status)).toEqual(["failed"]);
    expect(failed.pipelineRuns).toEqual([]);

    const clean = sim.commit("payments", { rates: NO_FAILURES }).sha;
    const built = await waitForCommit(
      sim,
      clean,
      (c) => c.builds.some((b) => finished(b.status)),
      "the clean commit's build",
    );
    expect(built.builds.map((b) => b.status)).toEqual(["succeeded"]);
  });

  it("leaves a human-gates commit's Approval to people while deciding another commit's", async () => {
    // The human-gates commit goes first: its gate opens before the other one, so had the
    // simulator meant to decide it, it would have done so before deciding the later gate.
    const human = sim.commit("payments", { humanGates: true, rates: NO_FAILURES }).sha;
    const waiting = await waitForCommit(
      sim,
      human,
      (c) => c.gates.length > 0,
      "the human-gates commit's production gate",
      30_000,
    );
    const decided = sim.commit("payments", { rates: NO_FAILURES }).sha;
    const approved = await waitForCommit(
      sim,
      decided,
      (c) => c.gates.some((g) => g.status === "approved"),
      "the other commit's gate, approved by the simulator",
      30_000,
    );
    expect(approved.gates[0]).toMatchObject({ kind: "Approval", environment: "production" });

    const now = sim.truth().commits.find((c) => c.sha === human)!;
    expect(now.gates).toEqual([{ ...waiting.gates[0], status: "pending" }]);
    // Not even marked waiting: that is the gate's controller's (Shiplog's) first word.
    const cr = sim.clusters.production.get(
      "customruns.tekton.dev",
      "ci",
      waiting.gates[0].name,
    ) as { status?: unknown };
    expect(cr.status).toBeUndefined();
    const run = now.pipelineRuns.find((p) => p.name === waiting.gates[0].pipelineRun)!;
    expect(run).toMatchObject({ environment: "production", status: "running" });
  });

  it("casts no vote on a human-gates commit's ApprovalTask", async () => {
    const human = sim.commit("search", { humanGates: true, rates: NO_FAILURES }).sha;
    const waiting = await waitForCommit(
      sim,
      human,
      (c) => c.gates.length > 0,
      "the human-gates commit's ApprovalTask gate",
      30_000,
    );
    const decided = sim.commit("search", { rates: NO_FAILURES }).sha;
    await waitForCommit(
      sim,
      decided,
      (c) => c.gates.some((g) => g.status === "approved"),
      "the other commit's ApprovalTask, approved by the simulator's vote",
      30_000,
    );
    const task = sim.clusters.production.get(
      "approvaltasks.openshift-pipelines.org",
      "ci",
      waiting.gates[0].name,
    );
    const spec = task.spec as { approvers: Array<{ input: string }> };
    expect(spec.approvers.map((a) => a.input)).toEqual(spec.approvers.map(() => "pending"));
    expect((task.status as { state: string }).state).toBe("pending");
    expect(sim.truth().commits.find((c) => c.sha === human)!.gates[0].status).toBe("pending");
  });
});
