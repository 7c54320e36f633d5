import { describe, expect, it } from "vitest";
import { normalizeCustomRun, normalizeTaskRun } from "./tekton";
import { loadJson, loadYaml, type Obj, one } from "@/test/reference-fixtures";

const CHAINS_DIGEST = "sha256:827521c857fdcd4374f4da5442fbae2edb01e7fbae285c3ec15673d4c1daecb7";
const MANIFESTS_SHA = "3f0c5a5e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

function withCondition(o: Obj, cond: Obj | null, drop: string[] = []): Obj {
  o.status.conditions = cond ? [{ type: "Succeeded", ...cond }] : [];
  for (const k of drop) delete o.status[k];
  return o;
}

describe("TaskRun", () => {
  const taskRun = () => loadJson("tekton/testdata-taskrun-v1-status.json");

  it("reads the real TaskRun: results give the digest and image, step image IDs do not", () => {
    const o = one(normalizeTaskRun(taskRun()));
    expect(o).toMatchObject({
      key: "tekton:TaskRun:/taskrun-build",
      kind: "TaskRun",
      stage: "pipeline",
      status: "succeeded",
      reason: "Succeeded",
      message: "All Steps have completed executing",
      startedAt: "2021-03-29T09:50:00.000Z",
      finishedAt: "2021-03-29T09:50:15.000Z",
      revision: null, // CHAINS-GIT_COMMIT param is "sha:taskrun"
      digests: [CHAINS_DIGEST],
      parent: null,
    });
    expect(o.imageRefs).toEqual([
      { registry: "gcr.io", repository: "my/image", tag: null, digest: CHAINS_DIGEST },
      { registry: "test.io", repository: "test/image", tag: null, digest: null },
    ]);
    expect(o.details).toEqual({
      type: "task",
      pipelineTask: "build",
      task: "build",
      results: [
        { name: "IMAGE_DIGEST", value: CHAINS_DIGEST },
        { name: "IMAGE_URL", value: "gcr.io/my/image" },
      ],
      podName: "test-pod-name",
    });
  });

  it("names its PipelineRun from Tekton's labels, and inherits the verify stage", () => {
    const tr = taskRun();
    Object.assign(tr.metadata.labels, {
      "tekton.dev/pipelineRun": "e2e-run-1",
      "tekton.dev/pipelineRunUID": "uid-e2e-1",
      "tekton.dev/pipeline": "selenium-e2e",
      "shiplog.dev/stage": "verify",
    });
    const o = one(normalizeTaskRun(tr));
    expect(o.parent).toEqual({
      kind: "PipelineRun",
      name: "e2e-run-1",
      uid: "uid-e2e-1",
      pipelineTask: "build",
    });
    expect(o.stage).toBe("verify");
  });

  it("a git-cli TaskRun's `commit` result is the manifests revision", () => {
    const tr = taskRun();
    tr.status.results = [{ name: "commit", value: MANIFESTS_SHA }];
    expect(one(normalizeTaskRun(tr)).manifestsRevisions).toEqual([
      { sha: MANIFESTS_SHA, repoUrl: null, ref: null },
    ]);
  });

  for (const [label, cond, specStatus, status, reason] of [
    [
      "TaskRunCancelled",
      { status: "False", reason: "TaskRunCancelled" },
      undefined,
      "cancelled",
      "TaskRunCancelled",
    ],
    [
      "cancel requested",
      { status: "Unknown", reason: "Running" },
      "TaskRunCancelled",
      "cancelled",
      "Running",
    ],
    [
      "TaskRunTimeout",
      { status: "False", reason: "TaskRunTimeout" },
      undefined,
      "failed",
      "timeout",
    ],
    ["pod Pending", { status: "Unknown", reason: "Pending" }, undefined, "pending", "Pending"],
    ["Running", { status: "Unknown", reason: "Running" }, undefined, "running", "Running"],
    [
      "ToBeRetried",
      { status: "Unknown", reason: "ToBeRetried" },
      undefined,
      "running",
      "ToBeRetried",
    ],
    ["StepFailed", { status: "False", reason: "Failed" }, undefined, "failed", "Failed"],
  ] as const) {
    it(`status variant ${label} → ${status}`, () => {
      const tr = withCondition(taskRun(), cond);
      if (specStatus) tr.spec.status = specStatus;
      expect(one(normalizeTaskRun(tr))).toMatchObject({ status, reason });
    });
  }

  it("missing status is pending", () => {
    const tr = taskRun();
    delete tr.status;
    expect(one(normalizeTaskRun(tr))).toMatchObject({
      status: "pending",
      digests: [],
      startedAt: null,
    });
  });
});

describe("CustomRun (not an approval)", () => {
  const customRun = () => {
    const cr = loadYaml("tekton/example-customrun.yaml");
    cr.metadata.name = "wait-customrun-8x2lq";
    return cr;
  };

  it("the real example has only generateName: missing-name", () => {
    const r = normalizeCustomRun(loadYaml("tekton/example-customrun.yaml"));
    expect(r.ok ? null : r.error.code).toBe("missing-name");
  });

  it("a Wait custom task is a pipeline task, pending before its controller reports", () => {
    const o = one(normalizeCustomRun(customRun()));
    expect(o).toMatchObject({
      kind: "CustomRun",
      apiVersion: "tekton.dev/v1beta1",
      stage: "pipeline",
      status: "pending",
    });
    expect(o.details).toMatchObject({ type: "task", task: "Wait" });
  });

  for (const [cond, specStatus, status, reason] of [
    [{ status: "Unknown", reason: "Running" }, undefined, "running", "Running"],
    [{ status: "True", reason: "Succeeded" }, undefined, "succeeded", "Succeeded"],
    [{ status: "False", reason: "CustomRunTimedOut" }, undefined, "failed", "timeout"],
    [
      { status: "False", reason: "CustomRunCancelled" },
      "RunCancelled",
      "cancelled",
      "CustomRunCancelled",
    ],
    [null, "RunCancelled", "cancelled", "RunCancelled"],
  ] as const) {
    it(`status ${cond ? `${cond.status}/${cond.reason}` : "none"}${specStatus ? ` + ${specStatus}` : ""} → ${status}`, () => {
      const cr = customRun();
      cr.status = cond ? { conditions: [{ type: "Succeeded", ...cond }] } : {};
      if (specStatus) cr.spec.status = specStatus;
      expect(one(normalizeCustomRun(cr))).toMatchObject({ status, reason });
    });
  }
});
