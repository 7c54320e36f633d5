import { describe, expect, it } from "vitest";
import { normalizePipelineRun } from "./tekton";
import { one, pipelineRunFixture as pipelineRun, type Obj } from "@/test/reference-fixtures";
import type { TaskSummary } from "./types";

function withCondition(o: Obj, cond: Obj | null, drop: string[] = []): Obj {
  o.status.conditions = cond ? [{ type: "Succeeded", ...cond }] : [];
  for (const k of drop) delete o.status[k];
  return o;
}

describe("PipelineRun status (tekton-status)", () => {
  const variants: [string, Obj | null, string | undefined, string, string | null, boolean][] = [
    // [label, condition, spec.status, expected status, expected reason, finished]
    [
      "Unknown/Running",
      { status: "Unknown", reason: "Running" },
      undefined,
      "running",
      "Running",
      false,
    ],
    [
      "Unknown/Started",
      { status: "Unknown", reason: "Started" },
      undefined,
      "running",
      "Started",
      false,
    ],
    [
      "Unknown/PipelineRunPending",
      { status: "Unknown", reason: "PipelineRunPending" },
      "PipelineRunPending",
      "pending",
      "PipelineRunPending",
      false,
    ],
    [
      "spec.status PipelineRunPending, no condition",
      null,
      "PipelineRunPending",
      "pending",
      "PipelineRunPending",
      false,
    ],
    [
      "False/Cancelled",
      { status: "False", reason: "Cancelled" },
      "Cancelled",
      "cancelled",
      "Cancelled",
      true,
    ],
    [
      "False/PipelineRunCancelled",
      { status: "False", reason: "PipelineRunCancelled" },
      undefined,
      "cancelled",
      "PipelineRunCancelled",
      true,
    ],
    [
      "cancel requested, still Unknown",
      { status: "Unknown", reason: "Running" },
      "Cancelled",
      "cancelled",
      "Running",
      false,
    ],
    [
      "StoppedRunFinally requested",
      { status: "Unknown", reason: "PipelineRunStopping" },
      "StoppedRunFinally",
      "cancelled",
      "PipelineRunStopping",
      false,
    ],
    [
      "False/PipelineRunTimeout",
      {
        status: "False",
        reason: "PipelineRunTimeout",
        message: "PipelineRun timed out after 1h0m0s",
      },
      undefined,
      "failed",
      "timeout",
      true,
    ],
    [
      "False/Failed",
      {
        status: "False",
        reason: "Failed",
        message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0",
      },
      undefined,
      "failed",
      "Failed",
      true,
    ],
    [
      "False/CreateRunFailed",
      { status: "False", reason: "CreateRunFailed" },
      undefined,
      "failed",
      "CreateRunFailed",
      true,
    ],
    [
      "True/Completed",
      { status: "True", reason: "Completed" },
      undefined,
      "succeeded",
      "Completed",
      true,
    ],
  ];
  for (const [label, cond, specStatus, status, reason, finished] of variants) {
    it(`status variant ${label} → ${status}`, () => {
      const pr = withCondition(pipelineRun(), cond);
      if (specStatus) pr.spec.status = specStatus;
      const o = one(normalizePipelineRun(pr));
      expect(o.status).toBe(status);
      expect(o.reason).toBe(reason);
      expect(o.finishedAt).toBe(finished ? "2021-03-29T09:50:15.000Z" : null);
    });
  }

  it("no status at all is pending; started without a condition is running", () => {
    const pr = pipelineRun();
    delete pr.status;
    const pending = one(normalizePipelineRun(pr));
    expect(pending).toMatchObject({ status: "pending", startedAt: null, finishedAt: null });
    expect((pending.details as { tasks: TaskSummary[] }).tasks).toEqual([]);
    const started = withCondition(pipelineRun(), null, ["completionTime"]);
    expect(one(normalizePipelineRun(started)).status).toBe("running");
  });

  it("while running, Pipeline tasks without a child are pending; once over, skipped", () => {
    const pr = withCondition(pipelineRun(), { status: "Unknown", reason: "Running" });
    pr.status.childReferences = pr.status.childReferences.slice(0, 1);
    const tasks = (one(normalizePipelineRun(pr)).details as { tasks: TaskSummary[] }).tasks;
    expect(tasks.map((t) => [t.name, t.status])).toEqual([
      ["git-clone", "unknown"],
      ["build", "pending"],
    ]);
    pr.status.conditions = [{ type: "Succeeded", status: "False", reason: "Failed" }];
    pr.status.skippedTasks = [{ name: "build", reason: "Parent Tasks were skipped" }];
    const done = (one(normalizePipelineRun(pr)).details as { tasks: TaskSummary[] }).tasks;
    expect(done.map((t) => [t.name, t.status])).toEqual([
      ["git-clone", "unknown"],
      ["build", "skipped"],
    ]);
  });

  it("embedded v1beta1 taskRuns give real task statuses", () => {
    const pr = pipelineRun();
    delete pr.status.childReferences;
    pr.status.taskRuns = {
      "run-git-clone": {
        pipelineTaskName: "git-clone",
        status: {
          conditions: [{ type: "Succeeded", status: "True" }],
          startTime: "2021-03-29T09:50:00Z",
          completionTime: "2021-03-29T09:50:05Z",
        },
      },
      "run-build": {
        pipelineTaskName: "build",
        status: {
          conditions: [{ type: "Succeeded", status: "False", reason: "TaskRunTimeout" }],
          startTime: "2021-03-29T09:50:05Z",
        },
      },
    };
    const tasks = (one(normalizePipelineRun(pr)).details as { tasks: TaskSummary[] }).tasks;
    expect(tasks).toEqual([
      {
        name: "git-clone",
        status: "succeeded",
        startedAt: "2021-03-29T09:50:00.000Z",
        finishedAt: "2021-03-29T09:50:05.000Z",
        kind: "TaskRun",
        runName: "run-git-clone",
      },
      {
        name: "build",
        status: "failed",
        startedAt: "2021-03-29T09:50:05.000Z",
        finishedAt: null,
        kind: "TaskRun",
        runName: "run-build",
      },
    ]);
  });
});
