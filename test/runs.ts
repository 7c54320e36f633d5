// Test-only: stored rows of runs made from the reference fixtures (test/fixtures), the way ingest
// stores them — the object as the cluster gave it and the normalizer's observation of it.
import { normalizeResource } from "@/lib/sources";
import { loadJson, loadYaml, one, pipelineRunFixture, type Obj } from "@/test/reference-fixtures";
import type { RunRow } from "@/lib/runs/types";

export const NOW = new Date("2021-03-29T10:00:00Z");
export const PR_NAME = "test-pipeline-run-x7k2p";
export const PR_UID = "6c1f2d3e-0000-4000-8000-000000000001";

export function rowOf(object: Obj, deletedAt: Date | null = null): RunRow {
  const obs = one(normalizeResource(object));
  return {
    kind: obs.kind,
    cluster: "staging",
    namespace: obs.namespace ?? "",
    name: obs.name,
    uid: obs.uid ?? obs.key,
    status: obs.status,
    startedAt: obs.startedAt ? new Date(obs.startedAt) : null,
    finishedAt: obs.finishedAt ? new Date(obs.finishedAt) : null,
    deletedAt,
    object,
    observation: obs,
  };
}

export function pipelineRun(): Obj {
  return pipelineRunFixture();
}

/** The chains TaskRun fixture as a child of the PipelineRun fixture (labels Tekton sets). */
export function taskRun(name = "taskrun-build", pipelineTask = "build"): Obj {
  const tr = loadJson("tekton/testdata-taskrun-v1-status.json");
  tr.apiVersion = "tekton.dev/v1";
  tr.kind = "TaskRun";
  tr.metadata = {
    name,
    namespace: "ci",
    uid: `uid-${name}`,
    resourceVersion: "992",
    labels: {
      ...tr.metadata.labels,
      "tekton.dev/pipelineTask": pipelineTask,
      "tekton.dev/pipelineRun": PR_NAME,
      "tekton.dev/pipelineRunUID": PR_UID,
      "tekton.dev/pipeline": "test-pipeline",
    },
  };
  tr.status.podName = `${name}-pod`;
  return tr;
}

const terminated = (exitCode: number, at: string, extra: Obj = {}) => ({
  terminated: {
    exitCode,
    reason: exitCode === 0 ? "Completed" : "Error",
    startedAt: at,
    finishedAt: at,
    containerID: `containerd://${exitCode}${at}`,
    ...extra,
  },
});

/** The TaskRun failing in step2 as Tekton reports it: step3 never ran (terminationReason Skipped). */
export function failedTaskRun(): Obj {
  const tr = taskRun();
  tr.status.conditions = [
    {
      type: "Succeeded",
      status: "False",
      reason: "Failed",
      message: '"step-step2" exited with code 1',
      lastTransitionTime: "2021-03-29T09:50:15Z",
    },
  ];
  const [s1, s2, s3] = tr.status.steps as Obj[];
  Object.assign(s1, terminated(0, "2021-03-29T09:50:05Z"), { terminationReason: "Completed" });
  Object.assign(s2, terminated(1, "2021-03-29T09:50:10Z"), { terminationReason: "Error" });
  Object.assign(s3, terminated(1, "2021-03-29T09:50:15Z"), { terminationReason: "Skipped" });
  return tr;
}

export function failedPipelineRun(): Obj {
  const pr = pipelineRun();
  pr.status.conditions = [
    {
      type: "Succeeded",
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0",
      lastTransitionTime: "2021-03-29T09:50:15Z",
    },
  ];
  return pr;
}

/** Running: step1 done, step2 running, step3 waiting for its turn. */
export function runningTaskRun(): Obj {
  const tr = taskRun();
  delete tr.status.completionTime;
  tr.status.conditions = [
    {
      type: "Succeeded",
      status: "Unknown",
      reason: "Running",
      message: "Not all Steps in the Task have finished executing",
      lastTransitionTime: "2021-03-29T09:50:00Z",
    },
  ];
  const [s1, s2, s3] = tr.status.steps as Obj[];
  Object.assign(s1, terminated(0, "2021-03-29T09:50:05Z"));
  Object.assign(s2, { running: { startedAt: "2021-03-29T09:50:06Z" } });
  Object.assign(s3, { waiting: { reason: "PodInitializing" } });
  return tr;
}

export function runningPipelineRun(): Obj {
  const pr = pipelineRun();
  delete pr.status.completionTime;
  pr.status.conditions = [
    { type: "Succeeded", status: "Unknown", reason: "Running", message: "Tasks Completed: 0" },
  ];
  return pr;
}

/** A kpack Build (the kpack sample) with a status: its phases as kpack reports them. */
export function build(status: Obj): Obj {
  const b = loadYaml("kpack/sample-build.yaml");
  b.metadata = {
    name: "payments-build-3",
    namespace: "apps",
    uid: "uid-payments-build-3",
    resourceVersion: "77",
    creationTimestamp: "2021-03-29T09:40:00Z",
    labels: { "image.kpack.io/image": "payments", "image.kpack.io/buildNumber": "3" },
  };
  b.status = { podName: "payments-build-3-build-pod", ...status };
  return b;
}

export const ok = (at: string, extra: Obj = {}) => terminated(0, at, extra);
export const exited = (code: number, at: string, extra: Obj = {}) => terminated(code, at, extra);

export function failedBuild(extra: Obj = {}): Obj {
  return build({
    stepsCompleted: ["prepare", "analyze", "detect", "restore"],
    stepStates: [
      ok("2021-03-29T09:40:10Z"),
      ok("2021-03-29T09:40:20Z"),
      ok("2021-03-29T09:40:30Z"),
      ok("2021-03-29T09:40:40Z"),
      exited(51, "2021-03-29T09:41:00Z"),
    ],
    conditions: [
      {
        type: "Succeeded",
        status: "False",
        reason: "PodFailed",
        message: 'step "build" exited with code 51',
        lastTransitionTime: "2021-03-29T09:41:00Z",
      },
    ],
    ...extra,
  });
}
