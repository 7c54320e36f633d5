import { describe, expect, it } from "vitest";
import { outcomePatch, pipelineRunPatch, runningPatch } from "./status";

const NOW = new Date("2026-11-25T12:00:00.123Z");
const d = (user: string, decision: "approve" | "reject", comment: string | null) => ({
  key: `user:${user}`,
  user,
  decision,
  comment,
  at: new Date("2026-11-25T11:59:00Z"),
});
const context = { expiresAt: null, cancelMessage: null, startTime: "2026-11-25T11:00:00Z" };

describe("CustomRun status patches", () => {
  it("marks the run waiting: Succeeded=Unknown AwaitingApproval with the gate id", () => {
    expect(
      runningPatch({ id: "g1", approvers: ["alice", "group:sre"], minApprovals: 2 }, null, NOW),
    ).toEqual({
      status: {
        conditions: [
          {
            type: "Succeeded",
            status: "Unknown",
            reason: "AwaitingApproval",
            message: "Waiting for 2 approvals from alice, group:sre",
            lastTransitionTime: "2026-11-25T12:00:00Z",
          },
        ],
        startTime: "2026-11-25T12:00:00Z",
        extraFields: { gateId: "g1", decisions: [] },
      },
    });
  });

  it("approved: True/Approved naming every approver and their comments, decisions mirrored", () => {
    const patch = outcomePatch(
      "g1",
      "approved",
      [d("alice", "approve", "lgtm"), d("bob", "approve", null)],
      context,
      NOW,
    );
    expect(patch.status.conditions).toEqual([
      {
        type: "Succeeded",
        status: "True",
        reason: "Approved",
        message: 'Approved by alice ("lgtm"), bob',
        lastTransitionTime: "2026-11-25T12:00:00Z",
      },
    ]);
    expect(patch.status).toMatchObject({
      startTime: "2026-11-25T11:00:00Z",
      completionTime: "2026-11-25T12:00:00Z",
      extraFields: {
        gateId: "g1",
        decisions: [
          { user: "alice", decision: "approve", comment: "lgtm", at: "2026-11-25T11:59:00Z" },
          { user: "bob", decision: "approve", at: "2026-11-25T11:59:00Z" },
        ],
      },
    });
  });

  it("rejected, expired and cancelled are False with Rejected, TimedOut, CustomRunCancelled", () => {
    const rejected = outcomePatch(
      "g1",
      "rejected",
      [d("alice", "approve", null), d("bob", "reject", "CVE in base image")],
      context,
      NOW,
    );
    expect(rejected.status.conditions[0]).toMatchObject({
      status: "False",
      reason: "Rejected",
      message: 'Rejected by bob ("CVE in base image")',
    });
    const expired = outcomePatch(
      "g1",
      "expired",
      [],
      { ...context, expiresAt: new Date("2026-11-25T11:30:00Z") },
      NOW,
    );
    expect(expired.status.conditions[0]).toMatchObject({
      status: "False",
      reason: "TimedOut",
      message: "No decision before the gate expired at 2026-11-25T11:30:00Z",
    });
    const cancelled = outcomePatch(
      "g1",
      "cancelled",
      [],
      {
        ...context,
        cancelMessage: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
      },
      NOW,
    );
    expect(cancelled.status.conditions[0]).toMatchObject({
      status: "False",
      reason: "CustomRunCancelled",
      message: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
    });
  });
});

describe("pending PipelineRun patches", () => {
  it("approving removes spec.status (merge-patch null); anything else cancels it", () => {
    expect(pipelineRunPatch("approved")).toEqual({ spec: { status: null } });
    expect(pipelineRunPatch("rejected")).toEqual({ spec: { status: "Cancelled" } });
    expect(pipelineRunPatch("expired")).toEqual({ spec: { status: "Cancelled" } });
  });
});
