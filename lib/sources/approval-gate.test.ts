import { describe, expect, it } from "vitest";
import { normalizeApprovalTask } from "./approval-gate";
import { normalizeCustomRun } from "./tekton";
import { loadYaml, type Obj, one } from "@/test/reference-fixtures";
import type { ApprovalDetails, Observation } from "./types";

const details = (o: Observation) => o.details as ApprovalDetails;

const PIPELINE_LABELS = {
  "tekton.dev/pipelineRun": "promote-payments-5x9",
  "tekton.dev/pipelineRunUID": "a1b2c3d4-0000-4000-8000-00000000000a",
  "tekton.dev/pipelineTask": "approve-production",
  "tekton.dev/memberOf": "tasks",
  "shiplog.dev/commit": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
  "shiplog.dev/environment": "production",
  // Inherited from a verify PipelineRun: an approval stays an approval.
  "shiplog.dev/stage": "verify",
};

/** Shiplog's own gate: the real example CustomRun pointed at shiplog.dev/v1alpha1 Approval. */
function shiplogApproval(cond: Obj | null, extra: Obj = {}): Obj {
  const cr = loadYaml("tekton/example-customrun.yaml");
  cr.metadata = {
    name: "promote-payments-5x9-approve-production",
    namespace: "ci",
    labels: { ...PIPELINE_LABELS },
  };
  cr.spec.customRef = { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" };
  cr.spec.timeout = "24h";
  cr.spec.params = [
    { name: "approvers", value: ["alice", "group:release-managers"] },
    { name: "minApprovals", value: "2" },
    { name: "message", value: "Promote payments to production" },
  ];
  if (cond)
    cr.status = {
      conditions: [{ type: "Succeeded", ...cond }],
      startTime: "2024-05-06T11:00:00Z",
      ...extra,
    };
  return cr;
}

describe("Shiplog Approval CustomRun", () => {
  it("before the controller opens the gate: pending, with approvers and parent", () => {
    const o = one(normalizeCustomRun(shiplogApproval(null)));
    expect(o).toMatchObject({
      key: "tekton:CustomRun:ci/promote-payments-5x9-approve-production",
      stage: "approval",
      status: "pending",
      environment: "production",
      revision: { sha: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", repoUrl: null, ref: null },
      parent: {
        kind: "PipelineRun",
        name: "promote-payments-5x9",
        uid: "a1b2c3d4-0000-4000-8000-00000000000a",
        pipelineTask: "approve-production",
      },
    });
    expect(details(o)).toEqual({
      type: "approval",
      gateId: null,
      controller: "shiplog",
      customRun: "promote-payments-5x9-approve-production",
      minApprovals: 2,
      approvalsReceived: null,
      approvers: ["alice", "group:release-managers"],
      decisions: [],
      message: "Promote payments to production",
    });
  });

  it("Unknown/AwaitingApproval is waiting, with the gate id and decisions the controller mirrors", () => {
    const o = one(
      normalizeCustomRun(
        shiplogApproval(
          { status: "Unknown", reason: "AwaitingApproval", message: "1 of 2 approvals" },
          {
            extraFields: {
              gateId: "gate_01HXYZ",
              decisions: [
                { user: "alice", decision: "approve", comment: "LGTM", at: "2024-05-06T11:05:00Z" },
                { user: "mallory", decision: "maybe" },
              ],
            },
          },
        ),
      ),
    );
    expect(o).toMatchObject({
      status: "waiting",
      reason: "AwaitingApproval",
      message: "1 of 2 approvals",
      startedAt: "2024-05-06T11:00:00.000Z",
      finishedAt: null,
    });
    expect(details(o).gateId).toBe("gate_01HXYZ");
    expect(details(o).decisions).toEqual([
      { user: "alice", decision: "approve", comment: "LGTM", at: "2024-05-06T11:05:00.000Z" },
    ]);
  });

  for (const [cond, status, reason] of [
    [{ status: "True", reason: "Approved" }, "succeeded", "Approved"],
    [{ status: "False", reason: "Rejected" }, "failed", "Rejected"],
    [{ status: "False", reason: "TimedOut" }, "failed", "timeout"],
    [{ status: "False", reason: "CustomRunCancelled" }, "cancelled", "CustomRunCancelled"],
  ] as const) {
    it(`${cond.status}/${cond.reason} → ${status}`, () => {
      const cr = shiplogApproval(cond);
      cr.status.completionTime = "2024-05-06T12:00:00Z";
      expect(one(normalizeCustomRun(cr))).toMatchObject({
        status,
        reason,
        finishedAt: "2024-05-06T12:00:00.000Z",
      });
    });
  }

  it("cancelled with its PipelineRun (spec.status RunCancelled) while still undecided", () => {
    const cr = shiplogApproval({ status: "Unknown", reason: "AwaitingApproval" });
    cr.spec.status = "RunCancelled";
    expect(one(normalizeCustomRun(cr))).toMatchObject({
      status: "cancelled",
      reason: "RunCancelled",
      finishedAt: null,
    });
  });

  it("approvers may be a comma-separated string; approval refs are configurable", () => {
    const cr = shiplogApproval(null);
    cr.spec.params[0].value = "alice, bob";
    expect(details(one(normalizeCustomRun(cr))).approvers).toEqual(["alice", "bob"]);
    const o = one(
      normalizeCustomRun(cr, { approvalRefs: [{ apiVersion: "example.com/v1", kind: "Gate" }] }),
    );
    expect(o.stage).toBe("verify"); // no longer an approval: a task of the verify run it belongs to
  });
});

describe("manual-approval-gate CustomRun", () => {
  const gateRun = (file = "approval-gate/testdata-customrun-approvaltask.yaml") => {
    const cr = loadYaml(file);
    cr.metadata.name = "wait-customrun-q7x";
    return cr;
  };

  it("reads the real testdata CustomRun: approvers and numberOfApprovalsRequired", () => {
    const o = one(normalizeCustomRun(gateRun()));
    expect(o).toMatchObject({ stage: "approval", status: "pending", namespace: "default" });
    expect(details(o)).toMatchObject({
      controller: "manual-approval-gate",
      approvers: ["foo", "bar", "tekton"],
      minApprovals: 2,
      customRun: "wait-customrun-q7x",
    });
    expect(
      details(
        one(
          normalizeCustomRun(gateRun("approval-gate/testdata-customrun-approvaltask-group.yaml")),
        ),
      ).approvers,
    ).toEqual(["foo", "bar", "tekton", "group:dev"]);
  });

  for (const [cond, status, reason] of [
    [{ status: "Unknown", reason: "Running" }, "waiting", "Running"],
    [
      { status: "True", reason: "Succeeded", message: "TaskRun succeeded" },
      "succeeded",
      "Succeeded",
    ],
    [{ status: "False", reason: "Failed", message: "Approval Task denied" }, "failed", "Failed"],
    [
      {
        status: "False",
        reason: "Failed",
        message: "Approval task wait-customrun-q7x is failed because of timeout",
      },
      "failed",
      "timeout",
    ],
  ] as const) {
    it(`${cond.status}/${cond.reason} (${cond.message ?? "-"}) → ${status}`, () => {
      const cr = gateRun();
      cr.status = { conditions: [{ type: "Succeeded", ...cond }] };
      expect(one(normalizeCustomRun(cr))).toMatchObject({ status, reason });
    });
  }
});

describe("ApprovalTask", () => {
  const complete = () => loadYaml("approval-gate/doc-approvaltask-complete.yaml");
  const withStatus = (file: string) => ({ ...complete(), status: loadYaml(file).status });

  it("reads the real complete example: waiting, approvers with group, decisions from spec inputs", () => {
    const o = one(normalizeApprovalTask(complete()));
    expect(o).toMatchObject({
      key: "tekton:ApprovalTask:my-project/deployment-approval",
      system: "tekton",
      kind: "ApprovalTask",
      apiVersion: "openshift-pipelines.org/v1alpha1",
      stage: "approval",
      status: "waiting",
      reason: "pending",
      startedAt: "2024-01-15T10:30:00.000Z",
      finishedAt: null,
    });
    expect(details(o)).toEqual({
      type: "approval",
      gateId: null,
      controller: "manual-approval-gate",
      customRun: "deployment-approval",
      minApprovals: 2,
      approvalsReceived: 0,
      approvers: ["alice", "bob", "group:dev-team"],
      decisions: [
        { user: "charlie", decision: "approve", comment: null, at: null },
        { user: "diana", decision: "approve", comment: null, at: null },
      ],
      message: "Approve deployment to production environment",
    });
  });

  it("pending status doc: waiting, 1 of 3 received, responses as decisions", () => {
    const o = one(
      normalizeApprovalTask(withStatus("approval-gate/doc-approvaltask-status-pending.yaml")),
    );
    expect(o.status).toBe("waiting");
    expect(details(o)).toMatchObject({ minApprovals: 3, approvalsReceived: 1 });
    expect(details(o).decisions).toEqual([
      { user: "alice", decision: "approve", comment: "LGTM for production deployment", at: null },
      { user: "bob", decision: "approve", comment: null, at: null },
    ]);
  });

  it("approved status doc: succeeded, group members' decisions listed per person", () => {
    const o = one(
      normalizeApprovalTask(withStatus("approval-gate/doc-approvaltask-status-approved.yaml")),
    );
    expect(o).toMatchObject({ status: "succeeded", reason: "approved" });
    expect(details(o).decisions).toEqual([
      { user: "alice", decision: "approve", comment: "Code looks good", at: null },
      { user: "security-lead", decision: "approve", comment: "No security issues found", at: null },
    ]);
  });

  it("rejected status doc: failed", () => {
    const o = one(
      normalizeApprovalTask(withStatus("approval-gate/doc-approvaltask-status-rejected.yaml")),
    );
    expect(o).toMatchObject({ status: "failed", reason: "rejected" });
    expect(details(o).decisions).toEqual([
      { user: "alice", decision: "reject", comment: "Found critical bugs in the code", at: null },
    ]);
  });

  it("the group example without status: pending, decisions from the group's users", () => {
    const o = one(normalizeApprovalTask(loadYaml("approval-gate/doc-approvaltask-group.yaml")));
    expect(o.status).toBe("pending");
    expect(details(o)).toMatchObject({ approvers: ["group:dev-team"], minApprovals: 3 });
    expect(details(o).decisions.map((d) => `${d.user}:${d.decision}`)).toEqual([
      "alice:approve",
      "bob:approve",
      "charlie:reject",
    ]);
  });

  it("carries its CustomRun and PipelineRun from the labels the controller copies", () => {
    const at = complete();
    at.metadata.labels = {
      ...PIPELINE_LABELS,
      "tekton.dev/customRun": "promote-payments-5x9-approve-production",
    };
    const o = one(normalizeApprovalTask(at));
    expect(details(o).customRun).toBe("promote-payments-5x9-approve-production");
    expect(o.parent?.name).toBe("promote-payments-5x9");
    expect(o.stage).toBe("approval");
    expect(o.environment).toBe("production");
  });

  it("an unexpected state is unknown; garbage is a typed error", () => {
    const at = complete();
    at.status.state = "paused";
    expect(one(normalizeApprovalTask(at)).status).toBe("unknown");
    const r = normalizeApprovalTask({ status: { state: "approved" } });
    expect(r.ok ? null : r.error.code).toBe("missing-name");
  });
});
