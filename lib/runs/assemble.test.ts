import { describe, expect, it } from "vitest";
import { assembleRunDetail, findStep } from "./assemble";
import {
  NOW,
  PR_UID,
  build,
  exited,
  failedBuild,
  failedPipelineRun,
  failedTaskRun,
  ok,
  pipelineRun,
  rowOf,
  runningPipelineRun,
  runningTaskRun,
  taskRun,
} from "@/test/runs";
import type { RunInput } from "./types";

const COMMIT = { app: "payments", sha: "ab".repeat(20) };
const PRUNED = new Date("2021-03-30T00:00:00Z");
const live = { now: NOW, podLogs: true };

const steps = (input: RunInput, options = live) =>
  assembleRunDetail(input, options).groups.map((g) =>
    g.steps.map((s) => `${s.name} ${s.container} ${s.status} ${s.exitCode ?? "-"} ${s.log}`),
  );

describe("a PipelineRun's detail", () => {
  it("has one group per TaskRun in start order, titled by the pipeline task (succeeded run)", () => {
    const clone = taskRun("git-clone", "git-clone");
    clone.status.startTime = "2021-03-29T09:49:50Z";
    const detail = assembleRunDetail(
      {
        run: rowOf(pipelineRun()),
        children: [rowOf(taskRun()), rowOf(clone)],
        commit: COMMIT,
        storedLogs: [],
      },
      live,
    );
    expect(detail).toMatchObject({
      system: "tekton",
      kind: "PipelineRun",
      cluster: "staging",
      namespace: "ci",
      name: "test-pipeline-run-x7k2p",
      uid: PR_UID,
      app: "payments",
      sha: COMMIT.sha,
      title: "test-pipeline",
      status: "succeeded",
      startedAt: "2021-03-29T09:50:00.000Z",
      finishedAt: "2021-03-29T09:50:15.000Z",
      durationMs: 15_000,
      live: true,
    });
    expect(detail.groups.map((g) => [g.name, g.title, g.status, g.podName])).toEqual([
      ["git-clone", "git-clone", "succeeded", "git-clone-pod"],
      ["taskrun-build", "build", "succeeded", "taskrun-build-pod"],
    ]);
    // The fixture's steps carry no container state: a succeeded TaskRun ran them all.
    expect(detail.groups[1].steps).toEqual(
      ["step1", "step2", "step3"].map((name) => ({
        name,
        container: `step-${name}`,
        status: "succeeded",
        startedAt: null,
        finishedAt: null,
        exitCode: null,
        reason: null,
        log: "pod",
      })),
    );
  });

  it("marks the failed step, skips the rest, and reads logs from the pod while it exists", () => {
    const input: RunInput = {
      run: rowOf(failedPipelineRun()),
      children: [rowOf(failedTaskRun())],
      commit: null,
      storedLogs: [{ pod: "taskrun-build-pod", container: "step-step2", step: "step2" }],
    };
    const detail = assembleRunDetail(input, live);
    expect(detail).toMatchObject({ status: "failed", live: true, app: null, sha: null });
    expect(detail.groups[0].steps[1]).toEqual({
      name: "step2",
      container: "step-step2",
      status: "failed",
      startedAt: "2021-03-29T09:50:10.000Z",
      finishedAt: "2021-03-29T09:50:10.000Z",
      exitCode: 1,
      reason: "Error",
      log: "pod",
    });
    expect(steps(input)).toEqual([
      [
        "step1 step-step1 succeeded 0 pod",
        "step2 step-step2 failed 1 pod",
        "step3 step-step3 skipped 1 none",
      ],
    ]);
  });

  it("serves the kept tail once the cluster pruned the run (pruned)", () => {
    const input: RunInput = {
      run: rowOf(failedPipelineRun(), PRUNED),
      children: [rowOf(failedTaskRun(), PRUNED)],
      commit: COMMIT,
      storedLogs: [{ pod: "taskrun-build-pod", container: "step-step2", step: "step2" }],
    };
    expect(assembleRunDetail(input, live).live).toBe(false);
    expect(steps(input)).toEqual([
      [
        "step1 step-step1 succeeded 0 none",
        "step2 step-step2 failed 1 stored",
        "step3 step-step3 skipped 1 none",
      ],
    ]);
  });

  it("shows a running step and those still to come, measured up to now (running)", () => {
    const input: RunInput = {
      run: rowOf(runningPipelineRun()),
      children: [rowOf(runningTaskRun())],
      commit: null,
      storedLogs: [],
    };
    const detail = assembleRunDetail(input, live);
    expect(detail).toMatchObject({ status: "running", finishedAt: null, durationMs: 600_000 });
    expect(detail.groups[0]).toMatchObject({ status: "running", durationMs: 600_000 });
    expect(steps(input)).toEqual([
      [
        "step1 step-step1 succeeded 0 pod",
        "step2 step-step2 running - pod",
        "step3 step-step3 pending - none",
      ],
    ]);
  });

  it("reads a cancelled TaskRun's steps as cancelled, not failed (cancelled)", () => {
    const pr = pipelineRun();
    pr.spec.status = "Cancelled";
    pr.status.conditions = [
      { type: "Succeeded", status: "False", reason: "Cancelled", message: "cancelled" },
    ];
    const tr = runningTaskRun();
    tr.status.conditions = [
      { type: "Succeeded", status: "False", reason: "TaskRunCancelled", message: "cancelled" },
    ];
    tr.status.completionTime = "2021-03-29T09:50:08Z";
    Object.assign(tr.status.steps[1], { running: undefined }, exited(1, "2021-03-29T09:50:08Z"), {
      terminationReason: "TaskRunCancelled",
    });
    const input: RunInput = { run: rowOf(pr), children: [rowOf(tr)], commit: null, storedLogs: [] };
    expect(assembleRunDetail(input, live)).toMatchObject({ status: "cancelled" });
    expect(steps(input)).toEqual([
      [
        "step1 step-step1 succeeded 0 pod",
        "step2 step-step2 cancelled 1 pod",
        "step3 step-step3 skipped - none",
      ],
    ]);
  });

  it("lets the steps after one with onError: continue run (terminationReason Continued)", () => {
    const tr = failedTaskRun();
    Object.assign(tr.status.steps[1], { terminationReason: "Continued" });
    Object.assign(tr.status.steps[2], exited(2, "2021-03-29T09:50:15Z"), {
      terminationReason: "Error",
    });
    const input: RunInput = {
      run: rowOf(failedPipelineRun()),
      children: [rowOf(tr)],
      commit: null,
      storedLogs: [],
    };
    expect(steps(input)[0]).toEqual([
      "step1 step-step1 succeeded 0 pod",
      "step2 step-step2 failed 1 pod",
      "step3 step-step3 failed 2 pod",
    ]);
  });

  it("offers no pod logs when this process cannot reach the cluster", () => {
    const input: RunInput = {
      run: rowOf(failedPipelineRun()),
      children: [rowOf(failedTaskRun())],
      commit: null,
      storedLogs: [{ pod: "taskrun-build-pod", container: "step-step2", step: "step2" }],
    };
    expect(steps(input, { now: NOW, podLogs: false })[0]).toEqual([
      "step1 step-step1 succeeded 0 none",
      "step2 step-step2 failed 1 stored",
      "step3 step-step3 skipped 1 none",
    ]);
  });

  it("finds a step by group and step name", () => {
    const detail = assembleRunDetail(
      { run: rowOf(pipelineRun()), children: [rowOf(taskRun())], commit: null, storedLogs: [] },
      live,
    );
    expect(findStep(detail, "taskrun-build", "step3")?.step.container).toBe("step-step3");
    expect(findStep(detail, "taskrun-build", "nope")).toBeNull();
    expect(findStep(detail, "nope", "step3")).toBeNull();
  });
});

describe("a kpack Build's detail", () => {
  const input = (object = failedBuild(), deletedAt: Date | null = null): RunInput => ({
    run: rowOf(object, deletedAt),
    children: [],
    commit: COMMIT,
    storedLogs: [],
  });

  it("is one group, the build pod, with the phase that failed and those never run (failed)", () => {
    const detail = assembleRunDetail(input(), live);
    expect(detail).toMatchObject({
      system: "kpack",
      kind: "Build",
      name: "payments-build-3",
      title: "payments",
      status: "failed",
      startedAt: "2021-03-29T09:40:00.000Z",
      finishedAt: "2021-03-29T09:41:00.000Z",
      durationMs: 60_000,
      live: true,
    });
    expect(detail.groups.map((g) => [g.name, g.title, g.podName])).toEqual([
      ["payments-build-3", "build", "payments-build-3-build-pod"],
    ]);
    expect(steps(input())).toEqual([
      [
        "prepare prepare succeeded 0 pod",
        "analyze analyze succeeded 0 pod",
        "detect detect succeeded 0 pod",
        "restore restore succeeded 0 pod",
        "build build failed 51 pod",
        "export export skipped - none",
        "completion completion skipped - none",
      ],
    ]);
  });

  it("takes phase names from kpack's state messages, whatever the lifecycle's order", () => {
    const b = build({
      stepsCompleted: ["prepare"],
      stepStates: [
        ok("2021-03-29T09:40:10Z", { message: "Container prepare terminated successfully" }),
        exited(20, "2021-03-29T09:40:20Z", { message: "Container detect terminated with error" }),
        { waiting: { reason: "PodInitializing", message: "Container analyze waiting" } },
      ],
      conditions: [{ type: "Succeeded", status: "False", reason: "PodFailed" }],
    });
    expect(steps(input(b))[0].slice(0, 3)).toEqual([
      "prepare prepare succeeded 0 pod",
      "detect detect failed 20 pod",
      "analyze analyze skipped - none",
    ]);
  });

  it("names a failed phase after the container whose log was kept (pruned)", () => {
    const b = build({
      stepsCompleted: ["prepare"],
      stepStates: [ok("2021-03-29T09:40:10Z"), exited(20, "2021-03-29T09:40:20Z")],
      conditions: [{ type: "Succeeded", status: "False", reason: "PodFailed" }],
    });
    const pruned = {
      ...input(b, PRUNED),
      storedLogs: [{ pod: "payments-build-3-build-pod", container: "detect", step: "detect" }],
    };
    expect(assembleRunDetail(pruned, live).live).toBe(false);
    expect(steps(pruned)[0].slice(0, 2)).toEqual([
      "prepare prepare succeeded 0 none",
      "detect detect failed 20 stored",
    ]);
  });

  it("follows a running build: the next phase runs, the rest wait (running)", () => {
    const b = build({
      stepsCompleted: ["prepare", "analyze"],
      stepStates: [ok("2021-03-29T09:40:10Z"), ok("2021-03-29T09:40:20Z")],
      conditions: [{ type: "Succeeded", status: "Unknown" }],
    });
    const detail = assembleRunDetail(input(b), live);
    expect(detail).toMatchObject({ status: "running", finishedAt: null, durationMs: 1_200_000 });
    expect(steps(input(b))[0]).toEqual([
      "prepare prepare succeeded 0 pod",
      "analyze analyze succeeded 0 pod",
      "detect detect running - pod",
      "restore restore pending - none",
      "build build pending - none",
      "export export pending - none",
      "completion completion pending - none",
    ]);
  });

  it("reads a running build's phases from its pod when the pod was read", () => {
    const b = build({
      stepsCompleted: ["prepare"],
      stepStates: [ok("2021-03-29T09:40:10Z")],
      conditions: [{ type: "Succeeded", status: "Unknown" }],
    });
    const pod = [
      { name: "prepare", state: ok("2021-03-29T09:40:10Z") },
      { name: "detect", state: { running: { startedAt: "2021-03-29T09:40:11Z" } } },
      { name: "analyze", state: { waiting: { reason: "PodInitializing" } } },
      { name: "completion", state: { waiting: { reason: "PodInitializing" } } },
    ];
    const detail = assembleRunDetail(input(b), { ...live, buildPod: pod });
    expect(detail.groups[0].steps.map((s) => `${s.name} ${s.status} ${s.log}`)).toEqual([
      "prepare succeeded pod",
      "detect running pod",
      "analyze pending none",
      "completion pending none",
    ]);
  });

  it("lists a succeeded build's phases as kpack reported them", () => {
    const b = build({
      stepsCompleted: ["prepare", "analyze", "detect", "restore", "build", "export", "completion"],
      stepStates: Array.from({ length: 7 }, (_, i) => ok(`2021-03-29T09:40:${10 + i}Z`)),
      conditions: [
        { type: "Succeeded", status: "True", lastTransitionTime: "2021-03-29T09:40:30Z" },
      ],
    });
    expect(steps(input(b))[0].map((s) => s.split(" ")[0])).toEqual([
      "prepare",
      "analyze",
      "detect",
      "restore",
      "build",
      "export",
      "completion",
    ]);
  });
});
