// The store's apiserver semantics, in-process (no HTTP): the same rules the HTTP API goes through.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { crdType, namespaceType } from "./builtin-types";
import { ResourceRegistry } from "./registry";
import { KubeError } from "./status-errors";
import { Store } from "./store";
import type { KubeObject, WatchEvent } from "./types";

const registry = ResourceRegistry.standard(path.resolve(".shiplog/sim-test"));
const testdata = (f: string) => path.join(import.meta.dirname, "testdata", f);
const yamlDocs = (f: string) =>
  parseAllDocuments(readFileSync(testdata(f), "utf8")).map((d) => d.toJS() as KubeObject);

function newStore(historyWindow = 1000): Store {
  const s = new Store({ cluster: "test", registry, historyWindow });
  for (const crd of registry.crdObjects) s.create(crd, { type: crdType, keepStatus: true });
  for (const name of ["default", "ci", "apps"])
    s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { type: namespaceType });
  return s;
}

function kubeError(fn: () => unknown): KubeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error("expected a KubeError");
}

const customRun = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "tekton.dev/v1beta1",
  kind: "CustomRun",
  metadata: { name, namespace: "ci", labels: { app: "web" } },
  spec: {
    customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" },
    params: [{ name: "minApprovals", value: "1" }],
  },
  ...extra,
});

describe("Store", () => {
  let s: Store;
  beforeEach(() => {
    s = newStore();
  });

  it("create fills uid, creationTimestamp, resourceVersion and generation 1, and drops status (a subresource)", () => {
    const rv = Number(s.resourceVersion());
    const cr = s.create(customRun("gate-1", { status: { conditions: [] } }));
    expect(cr.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(cr.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(cr.metadata.resourceVersion).toBe(String(rv + 1));
    expect(cr.metadata.generation).toBe(1);
    expect(cr.status).toBeUndefined();
    expect(Object.keys(cr).slice(0, 3)).toEqual(["apiVersion", "kind", "metadata"]);
  });

  it("generateName gets a 5-character suffix; a missing name is 422", () => {
    const pr = s.create({
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { generateName: "deploy-", namespace: "ci" },
      spec: {},
    });
    expect(pr.metadata.name).toMatch(/^deploy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const err = kubeError(() =>
      s.create({ apiVersion: "tekton.dev/v1", kind: "PipelineRun", metadata: { namespace: "ci" } }),
    );
    expect(err.code).toBe(422);
    expect(err.details?.causes?.[0]).toMatchObject({ field: "metadata.name" });
  });

  it("needs the namespace to exist, and the name to be free", () => {
    const missing = kubeError(() =>
      s.create({ ...customRun("x"), metadata: { name: "x", namespace: "nope" } }),
    );
    expect(missing.toStatus()).toMatchObject({
      code: 404,
      reason: "NotFound",
      message: 'namespaces "nope" not found',
    });
    s.create(customRun("dup"));
    const dup = kubeError(() => s.create(customRun("dup")));
    expect(dup.toStatus()).toMatchObject({
      code: 409,
      reason: "AlreadyExists",
      message: 'customruns.tekton.dev "dup" already exists',
    });
  });

  it("update: stale resourceVersion is 409, missing one is 422 for custom resources, status is kept", () => {
    const cr = s.create(customRun("gate"));
    s.patchStatus("customruns", "ci", "gate", {
      status: { conditions: [{ type: "Succeeded", status: "Unknown" }] },
    });
    expect(kubeError(() => s.update(cr)).toStatus()).toMatchObject({
      code: 409,
      reason: "Conflict",
    });
    const noRv = { ...cr, metadata: { ...cr.metadata, resourceVersion: undefined } };
    expect(kubeError(() => s.update(noRv)).code).toBe(422);
    const fresh = s.get("customruns.tekton.dev", "ci", "gate");
    const updated = s.update({
      ...fresh,
      spec: { ...(fresh.spec as object), timeout: "1h" },
      status: { conditions: [] },
    });
    expect(updated.metadata.generation).toBe(2);
    expect(updated.status).toEqual({ conditions: [{ type: "Succeeded", status: "Unknown" }] });
  });

  it("status writes change only status and never the generation; spec-less writes keep the generation", () => {
    s.create(customRun("gate"));
    const st = s.patchStatus("customruns", "ci", "gate", {
      status: { conditions: [{ type: "Succeeded", status: "True" }] },
      spec: { timeout: "9h" },
    });
    expect(st.metadata.generation).toBe(1);
    expect((st.spec as Record<string, unknown>).timeout).toBeUndefined();
    const labelled = s.patch("customruns", "ci", "gate", "merge", {
      metadata: { labels: { extra: "1" } },
    });
    expect(labelled.metadata.generation).toBe(1);
    const specced = s.patch("customruns", "ci", "gate", "merge", { spec: { timeout: "1h" } });
    expect(specced.metadata.generation).toBe(2);
  });

  it("a no-op write keeps the resourceVersion and emits nothing", () => {
    const cr = s.create(customRun("gate"));
    const events: WatchEvent[] = [];
    const h = s.watch("customruns", { resourceVersion: cr.metadata.resourceVersion }, (e) =>
      events.push(e),
    );
    const same = s.patch("customruns", "ci", "gate", "merge", {
      spec: { customRef: { kind: "Approval" } },
    });
    expect(same.metadata.resourceVersion).toBe(cr.metadata.resourceVersion);
    expect(events).toEqual([]);
    h.stop();
  });

  it("without a status subresource (Argo CD Application) status is written through the main endpoint and bumps generation", () => {
    const [app] = yamlDocs("example-application-spec.yaml");
    s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } });
    s.create(app);
    const synced = s.patch("applications", "argocd", "guestbook", "merge", {
      status: { sync: { status: "Synced" } },
    });
    expect(synced.status).toEqual({ sync: { status: "Synced" } });
    expect(synced.metadata.generation).toBe(2);
    expect(kubeError(() => s.patchStatus("applications", "argocd", "guestbook", {})).code).toBe(
      404,
    );
  });

  it("JSON patch: remove spec.status starts a pending PipelineRun; a failed test op is 422; SMP on a CRD is 415", () => {
    s.create({
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { name: "pending", namespace: "ci" },
      spec: { status: "PipelineRunPending" },
    });
    const started = s.patch("pipelineruns", "ci", "pending", "json", [
      { op: "remove", path: "/spec/status" },
    ]);
    expect(started.spec).toEqual({});
    expect(
      kubeError(() =>
        s.patch("pipelineruns", "ci", "pending", "json", [
          { op: "test", path: "/spec/status", value: "x" },
        ]),
      ).code,
    ).toBe(422);
    expect(
      kubeError(() => s.patch("pipelineruns", "ci", "pending", "json", { op: "remove" })).code,
    ).toBe(400);
    const smp = kubeError(() =>
      s.patch("pipelineruns", "ci", "pending", "strategic", { spec: {} }),
    );
    expect(smp.toStatus()).toMatchObject({ code: 415, reason: "UnsupportedMediaType" });
    const stale = kubeError(() =>
      s.patch("pipelineruns", "ci", "pending", "merge", { metadata: { resourceVersion: "1" } }),
    );
    expect(stale.code).toBe(409);
  });

  it("validates against the CRD schema (422) and prunes unknown fields", () => {
    const bad = kubeError(() =>
      s.create({
        apiVersion: "tekton.dev/v1",
        kind: "PipelineRun",
        metadata: { name: "bad", namespace: "ci" },
        spec: { params: [{ name: 7, value: "x" }] },
      }),
    );
    expect(bad.toStatus()).toMatchObject({
      code: 422,
      reason: "Invalid",
      details: { kind: "PipelineRun", group: "tekton.dev" },
    });
    expect(bad.details?.causes?.[0]?.field).toBe("spec.params[0].name");
    const pruned = s.create({
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { name: "ok", namespace: "ci" },
      spec: { bogus: 1, params: [] },
    });
    expect(pruned.spec).toEqual({ params: [] });
    // schemaless kinds keep everything
    const build = s.create({
      ...yamlDocs("sample-build.yaml")[0],
      metadata: { name: "b", namespace: "ci" },
    });
    expect((build.spec as Record<string, unknown>).serviceAccountName).toBe("serviceaccount");
  });

  it("accepts the real reference fixtures unchanged, status included", () => {
    s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argo-cd" } });
    const fixtures: KubeObject[] = [
      ...yamlDocs("example-pipelinerun-results.yaml"),
      ...yamlDocs("testdata-application-full-status.yaml"),
      {
        apiVersion: "tekton.dev/v1",
        kind: "PipelineRun",
        ...JSON.parse(
          readFileSync(testdata("testdata-pipelinerun-v1-status-childrefs.json"), "utf8"),
        ),
      },
      {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        ...JSON.parse(readFileSync(testdata("testdata-taskrun-v1-status.json"), "utf8")),
      },
    ];
    for (const f of fixtures) {
      const meta = {
        name: f.metadata?.name ?? "fixture",
        namespace: f.metadata?.namespace ?? "default",
        labels: f.metadata?.labels,
      };
      const stored = s.create({ ...f, metadata: meta }, { keepStatus: true });
      expect(stored.spec, f.kind).toEqual(f.spec);
      expect(stored.status, f.kind).toEqual(f.status);
    }
  });

  it("lists with selectors, pages consistently with continue, and 410s an expired continue", () => {
    for (let i = 0; i < 5; i++)
      s.create(
        customRun(`run-${i}`, {
          metadata: {
            name: `run-${i}`,
            namespace: i % 2 ? "apps" : "ci",
            labels: { i: String(i) },
          },
        }),
      );
    expect(s.list("customruns").items).toHaveLength(5);
    expect(s.list("customruns", { namespace: "apps" }).items.map((o) => o.metadata.name)).toEqual([
      "run-1",
      "run-3",
    ]);
    expect(s.list("customruns", { labelSelector: "i in (1,2)" }).items).toHaveLength(2);
    expect(s.list("customruns", { fieldSelector: "metadata.name=run-4" }).items).toHaveLength(1);
    expect(kubeError(() => s.list("customruns", { fieldSelector: "spec.x=1" })).code).toBe(400);

    const page1 = s.list("customruns", { limit: 2 });
    expect(page1.items.map((o) => o.metadata.name)).toEqual(["run-1", "run-3"]);
    expect(page1.metadata.remainingItemCount).toBe(3);
    s.delete("customruns", "ci", "run-2"); // after the first page: the next pages still show the snapshot
    s.create(customRun("run-9"));
    const page2 = s.list("customruns", { limit: 2, continue: page1.metadata.continue });
    expect(page2.items.map((o) => o.metadata.name)).toEqual(["run-0", "run-2"]);
    const page3 = s.list("customruns", { limit: 2, continue: page2.metadata.continue });
    expect(page3.items.map((o) => o.metadata.name)).toEqual(["run-4"]);
    expect(page3.metadata.continue).toBeUndefined();
    s.compact();
    expect(
      kubeError(() =>
        s.list("customruns", { limit: 2, continue: page1.metadata.continue }),
      ).toStatus(),
    ).toMatchObject({ code: 410, reason: "Expired" });
  });

  it("watch replays from a resourceVersion, sends DELETED with the deletion's resourceVersion, and 410s a compacted one", () => {
    const a = s.create(customRun("a"));
    s.create(customRun("b"));
    const events: [string, string, string][] = [];
    const h = s.watch("customruns", { resourceVersion: a.metadata.resourceVersion }, (e) =>
      events.push([
        e.type,
        String(e.object.metadata && (e.object as KubeObject).metadata.name),
        String((e.object as KubeObject).metadata.resourceVersion),
      ]),
    );
    const deleted = s.delete("customruns", "ci", "a");
    h.stop();
    expect(events.map(([t, n]) => `${t} ${n}`)).toEqual(["ADDED b", "DELETED a"]);
    expect(events[1][2]).toBe(deleted.metadata.resourceVersion);
    expect(Number(deleted.metadata.resourceVersion)).toBeGreaterThan(
      Number(a.metadata.resourceVersion),
    );
    s.compact();
    const gone = kubeError(() =>
      s.watch("customruns", { resourceVersion: a.metadata.resourceVersion }, () => {}),
    );
    expect(gone.toStatus()).toMatchObject({ code: 410, reason: "Expired" });
    expect(gone.message).toMatch(/^too old resource version/);
  });

  it("the history window bounds resumption", () => {
    const small = newStore(3);
    const first = small.create(customRun("w0"));
    for (let i = 1; i < 5; i++) small.create(customRun(`w${i}`));
    expect(
      kubeError(() =>
        small.watch("customruns", { resourceVersion: first.metadata.resourceVersion }, () => {}),
      ).code,
    ).toBe(410);
    const events: string[] = [];
    small
      .watch("customruns", { resourceVersion: String(Number(small.resourceVersion()) - 2) }, (e) =>
        events.push((e.object as KubeObject).metadata.name!),
      )
      .stop();
    expect(events).toEqual(["w3", "w4"]);
  });

  it("a label-filtered watch sees objects leave (DELETED) and enter (ADDED) the selection", () => {
    s.create(customRun("gate"));
    const events: string[] = [];
    const h = s.watch("customruns", { labelSelector: "app=web" }, (e) => events.push(e.type));
    s.patch("customruns", "ci", "gate", "merge", { metadata: { labels: { app: "api" } } });
    s.patch("customruns", "ci", "gate", "merge", { metadata: { labels: { app: "web" } } });
    s.patch("customruns", "ci", "gate", "merge", { metadata: { labels: { x: "1" } } });
    h.stop();
    expect(events).toEqual(["ADDED", "DELETED", "ADDED", "MODIFIED"]);
  });

  it("delivers events in commit order when a listener writes from its callback", () => {
    const seen: string[] = [];
    const other: string[] = [];
    s.watch("customruns", {}, (e) => {
      const o = e.object as KubeObject;
      seen.push(`${e.type} ${o.metadata.name}`);
      if (e.type === "ADDED" && o.metadata.name === "first") s.create(customRun("second"));
    });
    s.watch("customruns", {}, (e) =>
      other.push(`${e.type} ${(e.object as KubeObject).metadata.name}`),
    );
    s.create(customRun("first"));
    expect(seen).toEqual(["ADDED first", "ADDED second"]);
    expect(other).toEqual(["ADDED first", "ADDED second"]);
  });

  it("deleting a namespace deletes what is in it; pods keep logs per container", () => {
    s.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "apps" },
      spec: { containers: [{ name: "step-a", image: "x" }] },
    });
    s.setPodLog("apps", "p", "step-a", "hello\n");
    s.appendPodLog("apps", "p", "step-a", "world\n");
    expect(s.logs.get("apps", "p", "step-a")).toBe("hello\nworld\n");
    s.create(customRun("in-apps", { metadata: { name: "in-apps", namespace: "apps" } }));
    s.delete("namespaces", undefined, "apps");
    expect(s.list("pods").items).toHaveLength(0);
    expect(s.list("customruns", { namespace: "apps" }).items).toHaveLength(0);
    expect(s.logs.get("apps", "p", "step-a")).toBe("");
    expect(
      kubeError(() =>
        s.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p", namespace: "ci" },
          spec: {},
        }),
      ).code,
    ).toBe(422);
  });

  it("returns copies: mutating a result does not change the store", () => {
    const cr = s.create(customRun("gate"));
    cr.metadata.labels!.app = "changed";
    expect(s.get("customruns", "ci", "gate").metadata.labels?.app).toBe("web");
  });
});
