import { describe, expect, it } from "vitest";
import type { AdmissionRequest, KubeObject, ResourceType } from "../kube";
import { approvalTaskWebhook } from "./approval-webhook";

const task = (approvers: unknown[], state = "pending"): KubeObject => ({
  apiVersion: "openshift-pipelines.org/v1alpha1",
  kind: "ApprovalTask",
  metadata: { name: "gate", namespace: "ci" },
  spec: { approvers, numberOfApprovalsRequired: 1, description: "ship" },
  status: { state },
});
const pending = () => [
  { name: "alice", type: "User", input: "pending" },
  { name: "ops", type: "Group", input: "pending" },
];
const request = (user: string, groups: string[], object: KubeObject, old = task(pending())) =>
  ({
    cluster: "production",
    verb: "patch",
    type: { plural: "approvaltasks", group: "openshift-pipelines.org" } as ResourceType,
    user: { user, groups },
    oldObject: old,
    object,
  }) as AdmissionRequest;

describe("manual-approval-gate's webhook, played", () => {
  it("lets a listed user set their own input, and a group member add themselves", () => {
    const own = pending();
    own[0].input = "approve";
    expect(() => approvalTaskWebhook(request("alice", [], task(own)))).not.toThrow();
    const group = [
      pending()[0],
      { name: "ops", type: "Group", input: "reject", users: [{ name: "erin", input: "reject" }] },
    ];
    expect(() => approvalTaskWebhook(request("erin", ["ops"], task(group)))).not.toThrow();
  });

  it("refuses anyone writing for someone else, twice, or after the task is final", () => {
    const own = pending();
    own[0].input = "approve";
    expect(() =>
      approvalTaskWebhook(request("shiplog", ["system:authenticated"], task(own))),
    ).toThrow(/user shiplog is not an approver of this task/);
    expect(() => approvalTaskWebhook(request("erin", ["ops"], task(own)))).toThrow(
      /may only change their own approval/,
    );
    expect(() => approvalTaskWebhook(request("alice", [], task(own), task(own)))).not.toThrow();
    const again = structuredClone(own);
    again[0].input = "reject";
    expect(() => approvalTaskWebhook(request("alice", [], task(again), task(own)))).toThrow(
      /has already decided/,
    );
    expect(() =>
      approvalTaskWebhook(request("alice", [], task(own), task(pending(), "rejected"))),
    ).toThrow(/already rejected/);
  });

  it("ignores metadata-only changes", () => {
    const labelled = task(pending());
    labelled.metadata.labels = { a: "b" };
    expect(() => approvalTaskWebhook(request("shiplog", [], labelled))).not.toThrow();
  });
});
