import { describe, expect, it } from "vitest";
import { assembleTimeline } from "./assemble";
import { DIGEST, MANIFESTS, NOW, SHA, scenario } from "@/test/timeline-rows";
import type { TimelineStage } from "./types";

const BASES = {
  tektonDashboard: "https://tekton.example.com",
  argocd: "https://argocd.example.com/",
  harbor: "https://harbor.example.com",
};

const byId = (stages: TimelineStage[], id: string) => {
  const s = stages.find((x) => x.id === id);
  if (!s) throw new Error(`no stage ${id}`);
  return s;
};

describe("assembleTimeline: the reference chain", () => {
  const t = assembleTimeline(scenario(), NOW, BASES);

  it("has the commit's fields and the overall status of its worst current stage", () => {
    expect(t).toMatchObject({
      app: "payments",
      repoUrl: "https://gitlab.example.com/shop/payments",
      sha: SHA,
      shortSha: "da15608",
      branch: "main",
      author: "Dana Scully",
      committedAt: "2024-05-06T10:10:00.000Z",
      status: "waiting",
    });
    expect(t.stageStatuses).toEqual({
      build: "succeeded",
      image: "succeeded",
      scan: "succeeded",
      pipeline: "running",
      "approval:production": "waiting",
      "deploy:staging": "succeeded",
      "verify:staging": "succeeded",
    });
  });

  it("orders stages by start; TaskRuns, the ApprovalTask twin and the kpack Image are no stages", () => {
    expect(t.stages.map((s) => `${s.id} ${s.stage} ${s.status}`)).toEqual([
      "source source succeeded",
      "resource-1 build failed",
      "resource-2 build succeeded",
      "artifact-1-image image succeeded",
      "artifact-1-scan scan succeeded",
      "resource-4 pipeline running",
      "resource-7 approval waiting",
      "resource-9 deploy succeeded",
      "resource-10 verify succeeded",
    ]);
  });

  it("numbers the rebuild as attempt 2 of the same kpack Image, the latest", () => {
    const [first, second] = [byId(t.stages, "resource-1"), byId(t.stages, "resource-2")];
    expect(first).toMatchObject({
      title: "Build #1 of payments",
      attempt: 1,
      attempts: 2,
      latest: false,
      reason: "BuildFailed",
      durationMs: 90_000,
      cluster: "ci",
      environment: null,
      linkedBy: "revision da15608",
      url: null,
    });
    expect(second).toMatchObject({ attempt: 2, attempts: 2, latest: true, durationMs: 100_000 });
    expect(second.details).toEqual({
      image: "harbor.example.com/shop/payments/api",
      digest: DIGEST,
      buildNumber: 2,
      reason: "TRIGGER",
      tags: ["harbor.example.com/shop/payments/api"],
    });
    expect(second.resource).toEqual({
      system: "kpack",
      kind: "Build",
      namespace: "apps",
      name: "payments-build-2",
      uid: "b-2",
    });
  });

  it("gives one image and one scan stage for the linked digest", () => {
    expect(byId(t.stages, "artifact-1-image")).toMatchObject({
      title: "Image shop/payments/api:b27.20240506.101530",
      startedAt: "2024-05-06T10:15:42.123Z",
      linkedBy: "digest sha256:5b0bcab",
      url: `https://harbor.example.com/harbor/projects/shop/repositories/payments%2Fapi/artifacts-tab/artifacts/${DIGEST}`,
      details: {
        repository: "shop/payments/api",
        digest: DIGEST,
        tags: ["b27.20240506.101530", "latest"],
        pushedAt: "2024-05-06T10:15:42.123Z",
        signed: null,
        deleted: false,
      },
    });
    expect(byId(t.stages, "artifact-1-scan")).toMatchObject({
      status: "succeeded",
      reason: "Success",
      startedAt: "2024-05-06T10:15:50.000Z",
      finishedAt: "2024-05-06T10:16:02.000Z",
      durationMs: 12_000,
      details: {
        scanner: "Trivy v0.50.1",
        severity: "critical",
        counts: { critical: 1, high: 2, medium: 3, low: 2, unknown: 1 },
      },
    });
  });

  it("reads the pipeline's tasks from its child TaskRuns and gate CustomRun", () => {
    const p = byId(t.stages, "resource-4");
    expect(p).toMatchObject({
      title: "Pipeline release",
      durationMs: 14 * 60_000, // running since 10:16, now is 10:30
      finishedAt: null,
      linkedBy: "label shiplog.dev/commit",
      url: "https://tekton.example.com/#/namespaces/ci/pipelineruns/release-x7k2p",
    });
    expect(p.details).toEqual({
      pipeline: "release",
      tasks: [
        {
          name: "git-clone",
          status: "succeeded",
          startedAt: "2024-05-06T10:16:01.000Z",
          finishedAt: "2024-05-06T10:16:16.000Z",
          kind: "TaskRun",
          runName: "release-x7k2p-git-clone",
        },
        {
          name: "build",
          status: "succeeded",
          startedAt: "2024-05-06T10:16:20.000Z",
          finishedAt: "2024-05-06T10:16:35.000Z",
          kind: "TaskRun",
          runName: "release-x7k2p-build",
        },
        {
          name: "approve-production",
          status: "waiting",
          startedAt: "2024-05-06T10:17:00.000Z",
          finishedAt: null,
          kind: "CustomRun",
          runName: "promote-approve",
        },
      ],
    });
  });

  it("falls back to the PipelineRun's own task list without child rows", () => {
    const v = byId(t.stages, "resource-10");
    expect(v).toMatchObject({ stage: "verify", environment: "staging", cluster: "staging-eu" });
    expect(v.details).toEqual({
      pipeline: "selenium-e2e",
      tasks: [
        {
          name: "git-clone",
          status: "unknown",
          startedAt: null,
          finishedAt: null,
          kind: "TaskRun",
          runName: "git-clone",
        },
        {
          name: "build",
          status: "unknown",
          startedAt: null,
          finishedAt: null,
          kind: "TaskRun",
          runName: "taskrun-build",
        },
      ],
    });
  });

  it("merges the gate's CustomRun and ApprovalTask into one approval stage", () => {
    const a = byId(t.stages, "resource-7");
    expect(a).toMatchObject({
      title: "Approval for production",
      environment: "production",
      startedAt: "2024-05-06T10:17:00.000Z",
      resource: { kind: "ApprovalTask", name: "promote-approve", uid: "uid-at" },
      linkedBy: "PipelineRun ci/release-x7k2p",
    });
    expect(a.details).toEqual({
      gateId: null,
      minApprovals: 2,
      approvers: ["alice", "bob", "group:dev-team"],
      decisions: [
        { user: "charlie", decision: "approve", comment: null, at: null },
        { user: "diana", decision: "approve", comment: null, at: null },
      ],
      approvalsReceived: 0,
      message: "Approve deployment to production environment",
      customRun: "promote-approve",
    });
  });

  it("shows the deploy of this revision with the Application's own uid and a deep link", () => {
    const d = byId(t.stages, "resource-9");
    expect(d).toMatchObject({
      title: "Deploy payments-staging to staging",
      linkedBy: "manifests revision ea87599",
      url: "https://argocd.example.com/applications/argocd/payments-staging",
      finishedAt: "2024-05-06T10:19:10.000Z",
      resource: { uid: "94978696-4fd4-40b3-a1de-38d9df9e9316" },
    });
    expect(d.details).toEqual({
      application: "payments-staging",
      revision: MANIFESTS,
      syncStatus: "Synced",
      health: "Healthy",
      images: [`harbor.example.com/shop/payments/api@${DIGEST}`],
      revisions: [MANIFESTS],
      initiatedBy: "foo@example.com",
    });
  });
});
