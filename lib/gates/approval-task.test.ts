import { describe, expect, it } from "vitest";
import { loadYaml } from "@/test/reference-fixtures";
import { withDecision, type TaskDecision } from "./approval-task";
import { readApprovalTask } from "./spec";

const decision = (over: Partial<TaskDecision>): TaskDecision => ({
  id: 1n,
  decision: "approve",
  comment: null,
  as_user: "alice",
  as_entry: null,
  as_group: null,
  ...over,
});

describe("reading an ApprovalTask", () => {
  it("takes approvers (groups as group:NAME), the count and the description from the spec", () => {
    const task = loadYaml("approval-gate/doc-approvaltask-complete.yaml");
    task.metadata.uid = "task-uid";
    expect(readApprovalTask(task, { cluster: "production", environment: "production" })).toEqual({
      spec: {
        kind: "ApprovalTask",
        cluster: "production",
        namespace: "my-project",
        name: "deployment-approval",
        uid: "task-uid",
        environment: "production",
        approvers: ["alice", "bob", "group:dev-team"],
        minApprovals: 2,
        message: "Approve deployment to production environment",
        authorMayDecide: false,
        createdAt: new Date("2024-01-15T10:30:00Z"),
        expiresAt: null,
        pipelineRun: null,
      },
      state: "pending",
    });
  });
});

describe("writing a decision into spec.approvers", () => {
  const approvers = () => loadYaml("approval-gate/doc-approvaltask-complete.yaml").spec.approvers;

  it("sets a user's own input and message", () => {
    const next = withDecision(approvers(), decision({ comment: "ship it" }));
    expect(next?.[0]).toEqual({
      name: "alice",
      type: "User",
      input: "approve",
      message: "ship it",
    });
    expect(next?.slice(1)).toEqual(approvers().slice(1));
  });

  it("writes into the entry that named the person, whoever they act as", () => {
    const named = approvers();
    named[0].name = "alice@example.com";
    const next = withDecision(named, decision({ as_user: "alice", as_entry: "alice@example.com" }));
    expect(next?.[0]).toMatchObject({ name: "alice@example.com", input: "approve" });
  });

  it("adds a group member to the group's users and sets the group's input", () => {
    const next = withDecision(
      approvers(),
      decision({ as_user: "erin", as_group: "dev-team", decision: "reject", comment: "no" }),
    );
    expect(next?.[2]).toEqual({
      name: "dev-team",
      type: "Group",
      input: "reject",
      message: "",
      users: [
        { name: "charlie", input: "approve" },
        { name: "diana", input: "approve" },
        { name: "erin", input: "reject", message: "no" },
      ],
    });
  });

  it("writes nothing for someone who already decided or is not listed", () => {
    expect(
      withDecision(approvers(), decision({ as_user: "charlie", as_group: "dev-team" })),
    ).toBeNull();
    const decided = approvers();
    decided[1].input = "approve";
    expect(withDecision(decided, decision({ as_user: "bob" }))).toBeNull();
    expect(withDecision(approvers(), decision({ as_user: "mallory" }))).toBeNull();
  });
});
