import { describe, expect, it } from "vitest";
import { BadInput, Conflict } from "../errors";
import { loadJson, loadYaml } from "@/test/reference-fixtures";
import {
  hardRefreshPatch,
  mustHoldRerun,
  newestBuild,
  rebuildPatch,
  rerunPipelineRun,
  rerunPrefix,
  syncPatch,
} from "./bodies";
import { assertNames, nameProblem, namespaceProblem } from "./names";
import { operationFor, type ActionInput } from "./run";

describe("re-running a PipelineRun (the Tekton Dashboard's way)", () => {
  const original = () => {
    const pr = loadJson("tekton/testdata-pipelinerun-v1-status-childrefs.json");
    pr.apiVersion = "tekton.dev/v1";
    pr.kind = "PipelineRun";
    pr.metadata = {
      name: "promote-payments-ktm89",
      namespace: "ci",
      uid: "old-uid",
      resourceVersion: "812",
      creationTimestamp: "2021-03-29T09:50:00Z",
      labels: {
        "tekton.dev/pipeline": "promote",
        "shiplog.dev/app": "payments",
        "triggers.tekton.dev/eventlistener": "harbor",
      },
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "shiplog.dev/note": "kept",
      },
    };
    // Cancelled by someone (no gate): the re-run is a fresh start.
    pr.spec.status = "Cancelled";
    pr.spec.statusMessage = "cancelled by kubectl";
    return pr;
  };

  it("copies the whole spec without status, drops Tekton's labels, names the run it re-runs", () => {
    const pr = original();
    expect(mustHoldRerun(pr, null)).toBe(false);
    const body = rerunPipelineRun(pr);
    expect(body).toEqual({
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: {
        generateName: "promote-payments-ktm89-r-",
        namespace: "ci",
        labels: {
          "shiplog.dev/app": "payments",
          "triggers.tekton.dev/eventlistener": "harbor",
          "shiplog.dev/rerun-of": "promote-payments-ktm89",
        },
        annotations: { "shiplog.dev/note": "kept" },
      },
      spec: {
        params: [{ name: "IMAGE", value: "test.io/test/image" }],
        pipelineRef: { name: "test-pipeline" },
        taskRunTemplate: { serviceAccountName: "pipeline" },
      },
    });
    expect(pr.spec.status).toBe("Cancelled"); // the original is left alone
  });

  it("holds the re-run of a run that waited to start: PipelineRunPending, approval annotations kept", () => {
    const pr = original();
    pr.spec.status = "PipelineRunPending";
    delete pr.spec.statusMessage;
    pr.metadata.annotations["shiplog.dev/approvers"] = "carol, group:release-managers";
    pr.metadata.annotations["shiplog.dev/approval-message"] = "start when the freeze ends";
    expect(mustHoldRerun(pr, null)).toBe(true);
    const body = rerunPipelineRun(pr, { held: true });
    expect(body.spec).toEqual({
      params: [{ name: "IMAGE", value: "test.io/test/image" }],
      pipelineRef: { name: "test-pipeline" },
      taskRunTemplate: { serviceAccountName: "pipeline" },
      status: "PipelineRunPending",
    });
    expect(body.metadata.annotations).toEqual({
      "shiplog.dev/note": "kept",
      "shiplog.dev/approvers": "carol, group:release-managers",
      "shiplog.dev/approval-message": "start when the freeze ends",
    });
  });

  it("a run that had a start gate is held again whatever its gate's outcome", () => {
    // Approved (started, spec.status removed) or rejected (Cancelled): the gate row says so.
    const started = original();
    delete started.spec.status;
    for (const status of ["approved", "rejected", "pending", "cancelled"])
      expect(mustHoldRerun(started, status)).toBe(true);
    // Its gate not yet seen by Shiplog, but it names who may start it.
    const named = original();
    delete named.spec.status;
    named.metadata.annotations["shiplog.dev/min-approvals"] = "2";
    expect(mustHoldRerun(named, null)).toBe(true);
    expect(rerunPipelineRun(named, { held: true }).spec.status).toBe("PipelineRunPending");
  });

  it("a re-run of a re-run keeps the first run's name as its root", () => {
    expect(rerunPrefix("promote-payments-ktm89")).toBe("promote-payments-ktm89-r-");
    expect(rerunPrefix("promote-payments-ktm89-r-x7k2p")).toBe("promote-payments-ktm89-r-");
    expect(rerunPrefix("build")).toBe("build-r-");
  });
});

describe("rebuilding a kpack Image (kp image trigger)", () => {
  const build = (n: number, created: string) => {
    const b = loadYaml("kpack/sample-build.yaml");
    b.metadata = {
      name: `payments-build-${n}`,
      creationTimestamp: created,
      labels: { "image.kpack.io/image": "payments", "image.kpack.io/buildNumber": String(n) },
    };
    return b;
  };

  it("annotates the newest Build by creation time, then build number", () => {
    const builds = [
      build(2, "2026-11-25T10:00:00Z"),
      build(10, "2026-11-25T11:00:00Z"),
      build(9, "2026-11-25T11:00:00Z"),
    ];
    expect(newestBuild(builds)?.metadata.name).toBe("payments-build-10");
    expect(newestBuild([])).toBeNull();
    expect(rebuildPatch(new Date("2026-11-25T12:00:00Z"))).toEqual({
      metadata: {
        annotations: { "image.kpack.io/additionalBuildNeeded": "2026-11-25T12:00:00.000Z" },
      },
    });
  });
});

describe("syncing an Argo CD Application", () => {
  it("sets operation as the operator, pinned to the resourceVersion it read", () => {
    const app = loadYaml("argocd/testdata-application-full-status.yaml");
    app.metadata.resourceVersion = "4711";
    expect(syncPatch(app, "operator@shop.example.com")).toEqual({
      metadata: { resourceVersion: "4711" },
      operation: {
        initiatedBy: { username: "operator@shop.example.com" },
        sync: { prune: false, syncStrategy: { hook: {} } },
      },
    });
  });

  it("refuses while an operation is set or running, as Argo CD's own server does", () => {
    const app = loadYaml("argocd/testdata-application-full-status.yaml");
    app.operation = { sync: { revision: "abc" } };
    expect(() => syncPatch(app, "op")).toThrow(
      new Conflict("another operation is already in progress"),
    );
    const running = loadYaml("argocd/testdata-application-full-status.yaml");
    running.status.operationState.phase = "Running";
    expect(() => syncPatch(running, "op")).toThrow(Conflict);
  });

  it("hard refresh is the refresh annotation", () => {
    expect(hardRefreshPatch()).toEqual({
      metadata: { annotations: { "argocd.argoproj.io/refresh": "hard" } },
    });
  });
});

describe("names an action may take", () => {
  it("a namespace is a DNS-1123 label of at most 63 characters", () => {
    for (const ok of ["ci", "team-b", "a", "0ci", "x".repeat(63)])
      expect(namespaceProblem(ok)).toBeNull();
    expect(namespaceProblem("x".repeat(64))).toBe("must be at most 63 characters");
    for (const bad of ["", "CI", "-ci", "ci-", "c_i", "ci.prod", "../kube-system", "ci/x", "ci "])
      expect(namespaceProblem(bad)).toMatch(/^must be a Kubernetes namespace/);
  });

  it("a name is a DNS-1123 subdomain of at most 253 characters", () => {
    for (const ok of ["promote-payments-ktm89", "payments.v2", "a", "x".repeat(253)])
      expect(nameProblem(ok)).toBeNull();
    expect(nameProblem("x".repeat(254))).toBe("must be at most 253 characters");
    for (const bad of [
      "",
      "Payments",
      "a..b",
      ".a",
      "a.",
      "payments,app=x",
      "x/y",
      "%2e%2e",
      "a b",
    ])
      expect(nameProblem(bad)).toMatch(/^must be a Kubernetes name/);
  });

  it("assertNames names the field and the value", () => {
    expect(() => assertNames({ namespace: "ci", name: "payments,app" })).toThrow(
      new BadInput(
        `name "payments,app" must be a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
      ),
    );
    expect(() => assertNames({ namespace: "kube-system/..", name: "x" })).toThrow(
      /^namespace "kube-system\/\.\." must be a Kubernetes namespace/,
    );
    expect(() => assertNames({ namespace: "ci", name: "promote-x1" })).not.toThrow();
  });
});

describe("operationFor", () => {
  const input = (over: Partial<ActionInput>): ActionInput => ({
    system: "tekton",
    cluster: "staging",
    namespace: "ci",
    kind: "PipelineRun",
    name: "x",
    reason: null,
    operation: null,
    ...over,
  });
  it("defaults per kind and refuses what does not apply", () => {
    expect(operationFor(input({}))).toBe("rerun");
    expect(operationFor(input({ system: "kpack", kind: "Build" }))).toBe("rebuild");
    expect(operationFor(input({ system: "argocd", kind: "Application" }))).toBe("sync");
    expect(
      operationFor(input({ system: "argocd", kind: "Application", operation: "hard-refresh" })),
    ).toBe("hard-refresh");
    expect(() => operationFor(input({ operation: "sync" }))).toThrow(
      "operation sync does not apply to PipelineRun; use rerun",
    );
    expect(() => operationFor(input({ system: "argocd", kind: "PipelineRun" }))).toThrow(
      /cannot act on argocd PipelineRun/,
    );
  });
});
