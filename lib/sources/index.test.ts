import { describe, expect, it } from "vitest";
import { normalizeResource, normalizerFor, WATCHED_KINDS } from "./index";
import { normalizeApplication } from "./argocd";
import { BadInput } from "@/lib/errors";
import { SourceError } from "./result";
import { loadJson, loadYaml } from "@/test/reference-fixtures";

describe("watched kinds", () => {
  it("lists every Kubernetes kind with group, version, plural and scope", () => {
    expect(
      WATCHED_KINDS.map(
        (k) => `${k.group}/${k.version}/${k.plural}:${k.kind}:${k.system}:${k.namespaced}`,
      ),
    ).toEqual([
      "kpack.io/v1alpha2/builds:Build:kpack:true",
      "kpack.io/v1alpha2/images:Image:kpack:true",
      "tekton.dev/v1/pipelineruns:PipelineRun:tekton:true",
      "tekton.dev/v1/taskruns:TaskRun:tekton:true",
      "tekton.dev/v1beta1/customruns:CustomRun:tekton:true",
      "openshift-pipelines.org/v1alpha1/approvaltasks:ApprovalTask:tekton:true",
      "argoproj.io/v1alpha1/applications:Application:argocd:true",
    ]);
  });

  it("has a normalizer for each", () => {
    for (const k of WATCHED_KINDS) expect(normalizerFor(k.group, k.kind)).toBeTypeOf("function");
    expect(normalizerFor("argoproj.io", "Application")).toBe(normalizeApplication);
    expect(normalizerFor("apps", "Deployment")).toBeNull();
  });
});

describe("normalizeResource", () => {
  it("dispatches on apiVersion and kind, any served version", () => {
    const app = normalizeResource(loadYaml("argocd/testdata-application-full-status.yaml"));
    expect(app.ok && app.observations[0].stage).toBe("deploy");
    const pr = loadYaml("tekton/example-pipelinerun-custom-task.yaml"); // tekton.dev/v1beta1
    pr.metadata.name = "pr-1";
    const r = normalizeResource(pr, { verifyPipelines: [] });
    expect(r.ok && [r.observations[0].kind, r.observations[0].status]).toEqual([
      "PipelineRun",
      "pending",
    ]);
    const gate = loadYaml("approval-gate/doc-approvaltask-complete.yaml");
    const g = normalizeResource(gate);
    expect(g.ok && g.observations[0].status).toBe("waiting");
  });

  it("passes options through", () => {
    const pr = loadJson("tekton/testdata-pipelinerun-v1-status-childrefs.json");
    Object.assign(pr, {
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { name: "x", labels: { "tekton.dev/pipeline": "test-pipeline" } },
    });
    const r = normalizeResource(pr, { verifyPipelines: ["test-pipeline"] });
    expect(r.ok && r.observations[0].stage).toBe("verify");
  });

  it("unknown kinds and objects without apiVersion are typed errors", () => {
    const d = normalizeResource({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x" },
    });
    expect(d.ok ? null : [d.error.code, d.error.message]).toEqual([
      "unsupported-kind",
      "no normalizer for apps/v1 Deployment",
    ]);
    const t = normalizeResource(loadJson("tekton/testdata-taskrun-v1-status.json"));
    expect(t.ok ? null : [t.error.code, t.error.message]).toEqual([
      "unsupported-kind",
      "no normalizer for (no apiVersion) (no kind)",
    ]);
    const n = normalizeResource(null);
    expect(n.ok ? null : n.error.code).toBe("not-an-object");
  });
});

describe("robustness", () => {
  // Structurally valid objects (named) with every field of the wrong type: never a throw.
  const weird = [
    { spec: 5, status: "Succeeded" },
    { spec: { params: "x", source: [] }, status: { conditions: "True", results: { a: 1 } } },
    {
      spec: null,
      status: { conditions: [null, 1, { type: "Succeeded", status: 1 }], history: {} },
    },
    { metadata: { name: "x", labels: "nope", annotations: [1], ownerReferences: "o" } },
  ];

  for (const k of WATCHED_KINDS) {
    it(`${k.kind}: wrong-typed fields give an observation, not a throw`, () => {
      for (const w of weird) {
        const obj = {
          apiVersion: `${k.group}/${k.version}`,
          kind: k.kind,
          metadata: { name: "x" },
          ...w,
        };
        const r = normalizeResource(obj);
        expect(
          r.ok && [r.observations.length, r.observations[0].name, r.observations[0].kind],
        ).toEqual([1, "x", k.kind]);
      }
    });
  }

  it("SourceError is the app's BadInput (400) with code, system and issues", () => {
    const e = new SourceError(
      "invalid-payload",
      "harbor",
      "Harbor PUSH_ARTIFACT body is malformed",
      ["a: b"],
    );
    expect(e).toBeInstanceOf(BadInput);
    expect([e.status, e.name, e.code, e.system, e.message]).toEqual([
      400,
      "SourceError",
      "invalid-payload",
      "harbor",
      "Harbor PUSH_ARTIFACT body is malformed: a: b",
    ]);
  });
});
