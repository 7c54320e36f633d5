// The gate policy and the controller's guarantees, on hand-made Approval CustomRuns in the
// simulator on real Postgres: N of M with groups, expiry, cancellation, 50 concurrent approvers
// through two replicas, the Kubernetes API down while someone decides, and a leader that stops —
// each outcome written to the CustomRun's /status exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import { Conflict } from "../errors";
import { decide } from "./decide";
import { getGate, type Gate } from "./store";
import { gateHelpers, person } from "@/test/gates";
import { startTestEnv, until, type TestEnv } from "@/test/gate-env";

const CR = "customruns.tekton.dev";
let env: TestEnv;
const { cond, handMade, finalWrites } = gateHelpers(() => env);

beforeAll(async () => {
  env = await startTestEnv({ seed: 3, apps: ["payments"], rates: NO_FAILURES, play: false });
}, 60_000);
afterAll(async () => {
  await env?.close();
});

/**
 * A hand-made gate belongs to no commit, so nobody could approve it under the author rule (its
 * author is unknown); the tests about approving let the author approve instead.
 */
const NO_COMMIT = { allowAuthorApproval: "true" };

describe("gate policy and delivery", () => {
  it("needs N of M approvals, counts group members, one decision per person", async () => {
    const gate = await handMade("n-of-m", {
      ...NO_COMMIT,
      approvers: ["carol", "group:sre"],
      minApprovals: "2",
      message: "two of us",
    });
    expect(gate).toMatchObject({ minApprovals: 2, message: "two of us", app: null, sha: null });
    await expect(
      decide(env.pool, gate.id, person("dave", ["dev"]), { decision: "approve", comment: null }),
    ).rejects.toThrow(/dave@example.com is not among this gate's approvers \(carol, group:sre\)/);
    const first = await decide(env.pool, gate.id, person("carol"), {
      decision: "approve",
      comment: null,
    });
    expect(first.status).toBe("pending");
    await expect(
      decide(env.pool, gate.id, person("carol"), { decision: "approve", comment: null }),
    ).rejects.toThrow(new Conflict("carol@example.com has already decided this gate"));
    const second = await decide(env.replicas[0].pool, gate.id, person("erin", ["sre"]), {
      decision: "approve",
      comment: "lgtm",
    });
    expect(second.status).toBe("approved");
    await until(async () => cond("n-of-m")?.status === "True", "approved status");
    expect(cond("n-of-m")?.message).toBe(
      'Approved by carol@example.com, erin@example.com ("lgtm")',
    );
  });

  it("fails a run whose params make no sense, saying why, and opens no gate", async () => {
    env.sim.clusters.production.create({
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: { name: "bad-params", namespace: "ci" },
      spec: {
        customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" },
        params: [{ name: "minApprovals", value: "zero" }],
      },
    });
    await until(async () => cond("bad-params")?.status === "False", "the failed run");
    expect(cond("bad-params")).toMatchObject({
      reason: "ApprovalValidationFailed",
      message: 'minApprovals must be a whole number of at least 1 (got "zero")',
    });
    const gates = await env.pool.query("select 1 from gates where name = 'bad-params'");
    expect(gates.rowCount).toBe(0);
  });

  it("expires a gate at spec.timeout: TimedOut, and no decision afterwards", async () => {
    const gate = await handMade(
      "short-lived",
      { approvers: ["carol"] },
      { timeout: "1s" },
      { expiring: true },
    );
    expect(new Date(gate.expiresAt!).getTime() - new Date(gate.createdAt).getTime()).toBe(1000);
    await until(async () => cond("short-lived")?.status === "False", "timed out", 10_000);
    expect(cond("short-lived")).toMatchObject({ reason: "TimedOut" });
    expect((await getGate(env.pool, gate.id))?.status).toBe("expired");
    await expect(
      decide(env.pool, gate.id, person("carol"), { decision: "approve", comment: null }),
    ).rejects.toThrow(new Conflict("this gate is already expired"));
  });

  it("cancels the gate when Tekton cancels the CustomRun (RunCancelled → CustomRunCancelled)", async () => {
    const gate = await handMade("cancelled", { approvers: ["carol"] });
    env.sim.clusters.production.patch(CR, "ci", "cancelled", "merge", {
      spec: {
        status: "RunCancelled",
        statusMessage: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
      },
    });
    await until(async () => cond("cancelled")?.status === "False", "cancelled status");
    expect(cond("cancelled")).toMatchObject({
      reason: "CustomRunCancelled",
      message: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
    });
    expect((await getGate(env.pool, gate.id))?.status).toBe("cancelled");
  });

  it("50 approvers at once through two replicas: one outcome, one status write", async () => {
    const gate = await handMade("crowded", {
      ...NO_COMMIT,
      approvers: ["group:many"],
      minApprovals: "3",
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        decide(env.replicas[i % 2].pool, gate.id, person(`user${i}`, ["many"]), {
          decision: "approve",
          comment: null,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(ok).toHaveLength(3);
    expect(refused.every((r) => r.reason instanceof Conflict)).toBe(true);
    expect(ok.map((r) => (r as PromiseFulfilledResult<Gate>).value.status).sort()).toEqual([
      "approved",
      "pending",
      "pending",
    ]);
    const stored = await env.pool.query(
      "select count(*)::int as n from decisions where gate_id = $1",
      [gate.id],
    );
    expect(stored.rows[0].n).toBe(3);
    await until(async () => cond("crowded")?.status === "True", "approved status");
    await new Promise((resolve) => setTimeout(resolve, 1000)); // time for any second write
    expect(await finalWrites("crowded")).toHaveLength(1);
    expect(env.replicas.filter((r) => r.leadership.isLeader())).toHaveLength(1);
  });

  it("stores a decision while the Kubernetes API is down and writes it once when it is back", async () => {
    const gate = await handMade("outage", { ...NO_COMMIT, approvers: ["carol"] });
    env.sim.kube.faults.failNext(1_000_000, { mode: "error", cluster: "production" });
    try {
      const decided = await decide(env.pool, gate.id, person("carol"), {
        decision: "approve",
        comment: null,
      });
      expect(decided.status).toBe("approved");
      await new Promise((resolve) => setTimeout(resolve, 1500)); // several failed attempts
      expect(cond("outage")?.status).toBe("Unknown");
      const row = await env.pool.query("select applied_at from gates where id = $1", [gate.id]);
      expect(row.rows[0].applied_at).toBeNull();
    } finally {
      env.sim.kube.faults.reset();
    }
    await until(async () => cond("outage")?.status === "True", "approved after the outage");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await finalWrites("outage")).toHaveLength(1);
    const row = await env.pool.query("select applied_at from gates where id = $1", [gate.id]);
    expect(row.rows[0].applied_at).not.toBeNull();
  });

  it("when the leader stops, the other replica takes over and writes what was decided meanwhile", async () => {
    const gate = await handMade("takeover", { approvers: ["carol"] });
    const leader = env.replicas.find((r) => r.leadership.isLeader())!;
    const other = env.replicas.find((r) => r !== leader)!;
    await leader.leadership.stop();
    const decided = await decide(leader.pool, gate.id, person("carol"), {
      decision: "reject",
      comment: "wrong window",
    });
    expect(decided.status).toBe("rejected");
    await until(async () => other.leadership.isLeader(), "the other replica to lead");
    await until(async () => cond("takeover")?.status === "False", "rejected by the new leader");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await finalWrites("takeover")).toHaveLength(1);
    expect(cond("takeover")?.message).toBe('Rejected by carol@example.com ("wrong window")');
  });
});
