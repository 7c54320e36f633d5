import { describe, expect, it } from "vitest";
import { loadJson, loadYaml } from "@/test/reference-fixtures";
import { approverList, parseDuration, readApprovalCustomRun, readPendingPipelineRun } from "./spec";

const scope = { cluster: "production", environment: "production" };

/** Tekton's example CustomRun (a Wait custom task) turned into Shiplog's Approval. */
function approvalRun(params: Array<{ name: string; value: unknown }>, extra: object = {}) {
  const run = loadYaml("tekton/example-customrun.yaml");
  run.metadata = {
    name: "promote-payments-94d5t-approve",
    namespace: "ci",
    uid: "c0ffee00-0000-4000-8000-000000000001",
    creationTimestamp: "2026-11-25T10:00:00Z",
    labels: {
      "tekton.dev/pipelineRun": "promote-payments-94d5t",
      "tekton.dev/pipelineTask": "approve",
    },
  };
  run.spec.customRef = { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" };
  run.spec.params = params;
  Object.assign(run.spec, extra);
  return run;
}

describe("parseDuration", () => {
  it("reads Go durations as metav1.Duration writes them", () => {
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("1h0m0s")).toBe(3_600_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("")).toBeNull();
    expect(parseDuration("ten seconds")).toBeNull();
    expect(parseDuration("10s garbage")).toBeNull();
  });
});

describe("approverList", () => {
  it("takes an array param or a comma-separated string, trimmed and deduplicated", () => {
    expect(approverList(["alice", "group:ops", "alice"])).toEqual(["alice", "group:ops"]);
    expect(approverList(" alice, bob ,,")).toEqual(["alice", "bob"]);
    expect(approverList(undefined)).toEqual([]);
  });
});

describe("readApprovalCustomRun", () => {
  it("ignores other custom tasks: Tekton's Wait example and manual-approval-gate's CustomRun", () => {
    expect(readApprovalCustomRun(loadYaml("tekton/example-customrun.yaml"), scope)).toBeNull();
    expect(
      readApprovalCustomRun(loadYaml("approval-gate/testdata-customrun-approvaltask.yaml"), scope),
    ).toBeNull();
  });

  it("reads approvers, minApprovals, message, the author switch and spec.timeout", () => {
    const read = readApprovalCustomRun(
      approvalRun([
        { name: "approvers", value: ["alice", "bob", "group:release-managers"] },
        { name: "minApprovals", value: "2" },
        { name: "message", value: "Promote payments to production" },
        { name: "allowAuthorApproval", value: "true" },
      ]),
      scope,
    );
    expect(read).toEqual({
      spec: {
        kind: "Approval",
        cluster: "production",
        namespace: "ci",
        name: "promote-payments-94d5t-approve",
        uid: "c0ffee00-0000-4000-8000-000000000001",
        environment: "production",
        approvers: ["alice", "bob", "group:release-managers"],
        minApprovals: 2,
        message: "Promote payments to production",
        authorMayDecide: true,
        createdAt: new Date("2026-11-25T10:00:00Z"),
        // the example's spec.timeout: 10s
        expiresAt: new Date("2026-11-25T10:00:10Z"),
        pipelineRun: "promote-payments-94d5t",
      },
      invalid: null,
      condition: null,
      cancelled: null,
    });
  });

  it("defaults: one approval, the author may not approve, no expiry without a timeout", () => {
    const run = approvalRun([{ name: "approvers", value: "alice" }]);
    delete run.spec.timeout;
    const read = readApprovalCustomRun(run, { cluster: "prod", environment: null });
    expect(read?.spec).toMatchObject({
      approvers: ["alice"],
      minApprovals: 1,
      authorMayDecide: false,
      expiresAt: null,
      environment: null,
      message: null,
    });
  });

  it("names what is wrong with bad params instead of opening a gate", () => {
    expect(
      readApprovalCustomRun(approvalRun([{ name: "minApprovals", value: "0" }]), scope),
    ).toMatchObject({
      spec: null,
      invalid: 'minApprovals must be a whole number of at least 1 (got "0")',
    });
    expect(
      readApprovalCustomRun(approvalRun([{ name: "allowAuthorApproval", value: "maybe" }]), scope)
        ?.invalid,
    ).toBe('allowAuthorApproval must be "true" or "false" (got "maybe")');
    expect(readApprovalCustomRun(approvalRun([], { timeout: "soon" }), scope)?.invalid).toBe(
      'spec.timeout is not a duration (got "soon")',
    );
  });

  it("sees Tekton's cancel (spec.status RunCancelled) and a controller's condition", () => {
    const run = approvalRun([], {
      status: "RunCancelled",
      statusMessage: "CustomRun cancelled as the PipelineRun it belongs to has timed out.",
    });
    run.status = {
      conditions: [{ type: "Succeeded", status: "Unknown", reason: "AwaitingApproval" }],
    };
    expect(readApprovalCustomRun(run, scope)).toMatchObject({
      cancelled: "CustomRun cancelled as the PipelineRun it belongs to has timed out.",
      condition: { status: "Unknown", reason: "AwaitingApproval" },
    });
  });
});

describe("readPendingPipelineRun", () => {
  const pipelineRun = (status?: string, annotations: Record<string, string> = {}) => {
    const pr = loadJson("tekton/testdata-pipelinerun-v1-status-childrefs.json");
    pr.metadata = {
      name: "promote-payments-held",
      namespace: "ci",
      uid: "pr-uid",
      creationTimestamp: "2026-11-25T10:00:00Z",
      annotations,
    };
    if (status) pr.spec.status = status;
    delete pr.status;
    return pr;
  };

  it("opens a gate for a PipelineRunPending run, approvers from annotations", () => {
    const read = readPendingPipelineRun(
      pipelineRun("PipelineRunPending", {
        "shiplog.dev/approvers": "carol,group:sre",
        "shiplog.dev/min-approvals": "2",
      }),
      scope,
    );
    expect(read).toMatchObject({
      pending: true,
      spec: {
        kind: "PipelineRun",
        approvers: ["carol", "group:sre"],
        minApprovals: 2,
        message: "Start PipelineRun promote-payments-held",
        pipelineRun: "promote-payments-held",
      },
    });
  });

  it("a started run is not pending; bad annotations are named", () => {
    expect(readPendingPipelineRun(pipelineRun(), scope)?.pending).toBe(false);
    expect(
      readPendingPipelineRun(
        pipelineRun("PipelineRunPending", { "shiplog.dev/min-approvals": "two" }),
        scope,
      )?.invalid,
    ).toBe('minApprovals must be a whole number of at least 1 (got "two")');
  });
});
