// Shiplog's own gate records (lib/gates) on the timeline: they carry decisions before the cluster
// shows them, and give PipelineRuns created PipelineRunPending an approval stage of their own.
import { describe, expect, it } from "vitest";
import { assembleTimeline } from "./assemble";
import { NOW, scenario } from "@/test/timeline-rows";
import type { GateRow, TimelineInput } from "./types";

function rowOf(input: TimelineInput, id: number) {
  const row = input.resources.find((r) => r.id === BigInt(id));
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

function gateOn(input: TimelineInput, id: number, extra: Partial<GateRow> = {}): GateRow {
  const row = rowOf(input, id);
  return {
    gateId: "0b6f8d1e-6a55-4a8c-9a53-2f0c1d8e7a10",
    kind: "Approval",
    cluster: row.cluster,
    uid: row.uid,
    status: "pending",
    message: "Release to production?",
    createdAt: "2024-05-06T10:17:00.000Z",
    decidedAt: null,
    minApprovals: 2,
    approvers: ["alice", "group:release-managers"],
    decisions: [
      { user: "alice", decision: "approve", comment: "ship it", at: "2024-05-06T10:18:00.000Z" },
    ],
    ...extra,
  };
}

describe("assembleTimeline with gate records", () => {
  it("takes an undecided gate's decisions, approvers and count from Shiplog's record", () => {
    const input = scenario("pending");
    const approvalRows = input.resources.filter((r) => r.stage === "approval");
    expect(approvalRows.length).toBeGreaterThan(0);
    const gate = gateOn(input, Number(approvalRows[0]!.id));
    const t = assembleTimeline({ ...input, gates: [gate] }, NOW);
    const stage = t.stages.find((s) => s.stage === "approval");
    expect(stage?.status).toBe("waiting");
    expect(stage?.details).toMatchObject({
      gateId: gate.gateId,
      minApprovals: 2,
      approvers: ["alice", "group:release-managers"],
      approvalsReceived: 1,
      decisions: [{ user: "alice", decision: "approve", comment: "ship it" }],
    });
  });

  it("keeps the cluster's decisions for a gate decided outside Shiplog", () => {
    const input = scenario("approved");
    const approvalRow = input.resources.find((r) => r.stage === "approval")!;
    const gate = gateOn(input, Number(approvalRow.id), { status: "approved", decisions: [] });
    const stage = assembleTimeline({ ...input, gates: [gate] }, NOW).stages.find(
      (s) => s.stage === "approval",
    );
    expect(stage?.details).toMatchObject({
      gateId: gate.gateId,
      approvalsReceived: 2,
      decisions: [
        { user: "alice", decision: "approve" },
        { user: "security-lead", decision: "approve" },
      ],
    });
  });

  it("ignores a gate of another object", () => {
    const input = scenario("pending");
    const without = assembleTimeline(input, NOW);
    const other = { ...gateOn(input, 4), uid: "uid-of-something-else" };
    expect(assembleTimeline({ ...input, gates: [other] }, NOW)).toEqual(without);
  });

  it("adds an approval stage 'to start' for a PipelineRun created pending", () => {
    const input = scenario("pending");
    const run = rowOf(input, 4);
    expect(run.kind).toBe("PipelineRun");
    const gate = gateOn(input, 4, { kind: "PipelineRun", minApprovals: 1, decisions: [] });
    const t = assembleTimeline({ ...input, gates: [gate] }, NOW);
    const start = t.stages.find((s) => s.id === `gate-${gate.gateId}`);
    expect(start).toMatchObject({
      stage: "approval",
      status: "waiting",
      startedAt: "2024-05-06T10:17:00.000Z",
      finishedAt: null,
      resource: { kind: "PipelineRun", name: run.name },
    });
    expect(start?.title).toMatch(/^Approval to start/);

    const decided = assembleTimeline(
      {
        ...input,
        gates: [{ ...gate, status: "rejected", decidedAt: "2024-05-06T10:20:00.000Z" }],
      },
      NOW,
    );
    expect(decided.stages.find((s) => s.id === `gate-${gate.gateId}`)).toMatchObject({
      status: "failed",
      finishedAt: "2024-05-06T10:20:00.000Z",
      durationMs: 3 * 60_000,
    });
  });
});
