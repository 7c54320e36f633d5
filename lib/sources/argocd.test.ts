import { describe, expect, it } from "vitest";
import { normalizeApplication } from "./argocd";
import { loadYaml, one } from "@/test/reference-fixtures";
import type { DeployDetails, Observation } from "./types";

const SYNCED = "ea8759964626a583667a2bfd08f334ec2070040a";
const NEXT = "3f0c5a5e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

const details = (o: Observation) => o.details as DeployDetails;
const app = () => loadYaml("argocd/testdata-application-full-status.yaml");

describe("Argo CD Application", () => {
  it("reads the real full-status fixture: succeeded deploy of the synced revision", () => {
    const o = one(normalizeApplication(app()));
    expect(o).toMatchObject({
      key: "argocd:Application:argo-cd/velero-test",
      system: "argocd",
      kind: "Application",
      uid: "94978696-4fd4-40b3-a1de-38d9df9e9316",
      resourceVersion: "722811357",
      stage: "deploy",
      status: "succeeded",
      reason: "Succeeded",
      message: "successfully synced (all tasks run)",
      startedAt: "2024-03-05T07:33:03.000Z",
      finishedAt: "2024-03-05T07:33:04.000Z",
      revision: null,
      digests: [],
      imageRefs: [{ registry: null, repository: "nginx", tag: "latest", digest: null }],
      manifestsRevisions: [
        { sha: SYNCED, repoUrl: "https://github.com/foo/manifests-velero", ref: "test-lla" },
      ],
      appHints: ["velero-test", "velero"],
    });
    const d = details(o);
    expect(d).toMatchObject({
      application: "velero-test",
      project: "sre",
      revision: SYNCED,
      revisions: [SYNCED],
      targetRevisions: ["rev1"],
      syncedRevisions: [SYNCED],
      syncStatus: "Synced",
      health: "Healthy",
      images: ["nginx:latest"],
      operationPhase: "Succeeded",
      initiatedBy: "foo@example.com",
      destination: { server: null, name: "gke-alpha-01-europe-west1", namespace: "test-lla" },
      sources: [
        {
          repoUrl: "https://github.com/foo/manifests-velero.git",
          path: "instances/test",
          targetRevision: "test-lla",
          chart: null,
        },
      ],
    });
    expect(d.history).toHaveLength(10);
    expect(d.history[9]).toEqual({
      id: 23,
      revisions: [SYNCED],
      deployStartedAt: "2024-03-05T07:33:03.000Z",
      deployedAt: "2024-03-05T07:33:04.000Z",
      initiatedBy: null,
    });
  });

  it("a running sync is running, about the revision being synced", () => {
    const a = app();
    Object.assign(a.status.operationState, {
      phase: "Running",
      message: "one or more tasks are running",
      finishedAt: undefined,
    });
    a.status.operationState.operation.sync.revision = NEXT;
    delete a.status.operationState.syncResult;
    const o = one(normalizeApplication(a));
    expect(o).toMatchObject({
      status: "running",
      reason: "Running",
      finishedAt: null,
      startedAt: "2024-03-05T07:33:03.000Z",
    });
    expect(o.manifestsRevisions.map((r) => r.sha)).toEqual([NEXT]);
  });

  it("a requested operation (not yet picked up) is running", () => {
    const a = app();
    a.operation = { initiatedBy: { username: "shiplog" }, sync: { revision: NEXT } };
    expect(one(normalizeApplication(a))).toMatchObject({
      status: "running",
      reason: "SyncRequested",
    });
    expect(details(one(normalizeApplication(a))).revision).toBe(NEXT);
  });

  it("Terminating is still running", () => {
    const a = app();
    a.status.operationState.phase = "Terminating";
    expect(one(normalizeApplication(a)).status).toBe("running");
  });

  for (const phase of ["Failed", "Error"]) {
    it(`sync phase ${phase} is failed`, () => {
      const a = app();
      Object.assign(a.status.operationState, {
        phase,
        message: "one or more objects failed to apply",
      });
      a.status.sync.status = "OutOfSync";
      a.status.sync.revision = SYNCED;
      const o = one(normalizeApplication(a));
      expect(o).toMatchObject({
        status: "failed",
        reason: phase,
        message: "one or more objects failed to apply",
        finishedAt: "2024-03-05T07:33:04.000Z",
      });
      expect(o.manifestsRevisions.map((r) => r.sha)).toEqual([SYNCED]);
    });
  }

  it("health Degraded after a successful sync is failed", () => {
    const a = app();
    a.status.health = {
      status: "Degraded",
      message: "Deployment exceeded its progress deadline",
      lastTransitionTime: "2024-03-05T07:43:04Z",
    };
    const o = one(normalizeApplication(a));
    expect(o).toMatchObject({
      status: "failed",
      reason: "Degraded",
      finishedAt: "2024-03-05T07:43:04.000Z",
    });
    expect(details(o).healthMessage).toBe("Deployment exceeded its progress deadline");
  });

  it("health Progressing after the sync is running", () => {
    const a = app();
    a.status.health = { status: "Progressing" };
    expect(one(normalizeApplication(a))).toMatchObject({
      status: "running",
      reason: "Progressing",
      finishedAt: null,
    });
  });

  it("succeeded finishes when the app turned Healthy, if that came after the sync", () => {
    const a = app();
    a.status.health.lastTransitionTime = "2024-03-05T07:34:30Z";
    expect(one(normalizeApplication(a)).finishedAt).toBe("2024-03-05T07:34:30.000Z");
  });

  it("OutOfSync on a new revision without an operation is pending, about that revision", () => {
    const a = app();
    a.status.sync.status = "OutOfSync";
    a.status.sync.revision = NEXT;
    const o = one(normalizeApplication(a));
    expect(o).toMatchObject({
      status: "pending",
      reason: "OutOfSync",
      startedAt: null,
      finishedAt: null,
    });
    expect(o.manifestsRevisions).toEqual([
      { sha: NEXT, repoUrl: "https://github.com/foo/manifests-velero", ref: "test-lla" },
    ]);
    expect(details(o).syncedRevisions).toEqual([SYNCED]);
  });

  it("Synced on a newer target than the last sync: both revisions are deployed", () => {
    const a = app();
    a.status.sync.revision = NEXT;
    const o = one(normalizeApplication(a));
    expect(o.status).toBe("succeeded");
    expect(o.manifestsRevisions.map((r) => r.sha)).toEqual([SYNCED, NEXT]);
    expect(details(o).revision).toBe(SYNCED);
  });

  it("OutOfSync on the synced revision (drift) keeps the health reading", () => {
    const a = app();
    a.status.sync.status = "OutOfSync";
    a.status.sync.revision = SYNCED;
    expect(one(normalizeApplication(a)).status).toBe("succeeded");
  });

  for (const [health, status] of [
    ["Suspended", "waiting"],
    ["Missing", "pending"],
    ["Unknown", "unknown"],
  ] as const) {
    it(`health ${health} → ${status}`, () => {
      const a = app();
      a.status.health = { status: health };
      expect(one(normalizeApplication(a)).status).toBe(status);
    });
  }

  it("missing status is pending; unknown fields are ignored", () => {
    const bare = app();
    delete bare.status;
    expect(one(normalizeApplication(bare))).toMatchObject({
      status: "pending",
      manifestsRevisions: [],
      imageRefs: [],
    });
    const extra = app();
    extra.status.sourceHydrator = { x: 1 };
    extra.spec.newField = true;
    expect(one(normalizeApplication(extra))).toEqual(one(normalizeApplication(app())));
  });

  it("multi-source: revisions line up with spec.sources; chart versions are not SHAs", () => {
    const a = app();
    const manifests = {
      repoURL: "git@github.com:foo/manifests.git",
      path: "envs/prod",
      targetRevision: "main",
    };
    const chart = {
      repoURL: "https://charts.example.com",
      chart: "velero",
      targetRevision: "5.1.0",
    };
    delete a.spec.source;
    a.spec.sources = [manifests, chart];
    a.status.sync = { status: "Synced", revisions: [SYNCED, "5.1.0"] };
    a.status.operationState.syncResult = {
      revisions: [SYNCED, "5.1.0"],
      sources: [manifests, chart],
    };
    a.status.operationState.operation.sync = { revisions: [SYNCED, "5.1.0"] };
    a.status.history = [
      {
        id: 24,
        revisions: [SYNCED, "5.1.0"],
        deployedAt: "2024-03-06T08:00:00Z",
        initiatedBy: { automated: true },
      },
    ];
    const o = one(normalizeApplication(a));
    expect(o.status).toBe("succeeded");
    expect(o.manifestsRevisions).toEqual([
      { sha: SYNCED, repoUrl: "https://github.com/foo/manifests", ref: "main" },
    ]);
    expect(details(o)).toMatchObject({
      revision: SYNCED,
      revisions: [SYNCED, "5.1.0"],
      history: [
        {
          id: 24,
          revisions: [SYNCED, "5.1.0"],
          deployStartedAt: null,
          deployedAt: "2024-03-06T08:00:00.000Z",
          initiatedBy: "automated",
        },
      ],
    });
    expect(details(o).sources.map((s) => s.chart)).toEqual([null, "velero"]);
  });

  it("images by digest become digests; tags stay image refs; labels set app and environment", () => {
    const a = app();
    const digest = "sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4";
    a.status.summary.images = [
      `harbor.example.com/shop/payments/api@${digest}`,
      "harbor.example.com/shop/web:1.4.2",
    ];
    a.metadata.labels["shiplog.dev/app"] = "payments";
    a.metadata.labels["shiplog.dev/environment"] = "production";
    const o = one(normalizeApplication(a));
    expect(o.digests).toEqual([digest]);
    expect(o.imageRefs).toEqual([
      { registry: "harbor.example.com", repository: "shop/payments/api", tag: null, digest },
      { registry: "harbor.example.com", repository: "shop/web", tag: "1.4.2", digest: null },
    ]);
    expect(o.appHints).toEqual(["payments", "velero-test", "velero"]);
    expect(o.environment).toBe("production");
  });

  it("garbage is a typed error", () => {
    const r = normalizeApplication({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { namespace: "argo-cd" },
    });
    expect(r.ok ? null : [r.error.code, r.error.system]).toEqual(["missing-name", "argocd"]);
    const s = normalizeApplication("Application");
    expect(s.ok ? null : s.error.code).toBe("not-an-object");
  });
});
