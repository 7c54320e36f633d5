import { describe, expect, it } from "vitest";
import { normalizeResource } from "../sources";
import { one, type Obj } from "@/test/reference-fixtures";
import { failedBuild, failedTaskRun, runningTaskRun, taskRun } from "@/test/runs";
import { jobFor } from "./step-logs";

const observed = (object: Obj, deleted = false) => ({
  scope: { cluster: "staging" },
  observation: one(normalizeResource(object)),
  object,
  deleted,
});

describe("which stored objects have a log to keep", () => {
  it("a failed TaskRun: its pod and the failed step's container", () => {
    const job = jobFor(observed(failedTaskRun()));
    expect(job).toMatchObject({
      cluster: "staging",
      namespace: "ci",
      pod: "taskrun-build-pod",
      uid: "uid-taskrun-build",
      kind: "TaskRun",
    });
    expect(job?.steps.map((s) => `${s.name} ${s.container}`)).toEqual(["step2 step-step2"]);
  });

  it("a failed Build: its pod (the failed phase is read from the pod)", () => {
    expect(jobFor(observed(failedBuild()))).toMatchObject({
      cluster: "staging",
      namespace: "apps",
      pod: "payments-build-3-build-pod",
      uid: "uid-payments-build-3",
      kind: "Build",
    });
  });

  it("nothing for runs that succeeded, still run, were deleted or have no pod", () => {
    expect(jobFor(observed(taskRun()))).toBeNull();
    expect(jobFor(observed(runningTaskRun()))).toBeNull();
    expect(jobFor(observed(failedTaskRun(), true))).toBeNull();
    const podless = failedTaskRun();
    delete podless.status.podName;
    expect(jobFor(observed(podless))).toBeNull();
  });
});
