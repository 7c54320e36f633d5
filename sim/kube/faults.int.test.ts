// Contract: fault switches (programmatic and /_sim/faults) and the write log with impersonation (/_sim/writes).
import * as k8s from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type TestSim, raw, startTestSim, waitFor } from "./test-support";
import type { KubeObject } from "./types";
import { rawWatch } from "./watch-stream";

let sim: TestSim;
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
const S = "/clusters/staging";
const group = "tekton.dev";
const version = "v1";
const plural = "pipelineruns";

const pr = (name: string): KubeObject => ({
  apiVersion: "tekton.dev/v1",
  kind: "PipelineRun",
  metadata: { name, namespace: "ci" },
  spec: { pipelineRef: { name: "deploy" } },
});

beforeAll(async () => {
  sim = await startTestSim();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});

afterEach(() => sim.api.faults.reset());

afterAll(async () => {
  await sim?.close();
});

/** An informer restarted on error with a short backoff, the way lib/k8s is expected to run them. */
function resilientInformer(path: string) {
  const informer = k8s.makeInformer(kc, path, () =>
    custom.listNamespacedCustomObject({ group, version, namespace: "ci", plural }),
  );
  const seen = new Set<string>();
  let connects = 0;
  let errors = 0;
  let stopped = false;
  informer.on(k8s.ADD, (o) => seen.add(o.metadata?.name ?? ""));
  informer.on(k8s.CONNECT, () => connects++);
  informer.on(k8s.ERROR, () => {
    errors++;
    if (!stopped) setTimeout(() => void informer.start().catch(() => {}), 50);
  });
  return {
    informer,
    seen,
    get connects() {
      return connects;
    },
    get errors() {
      return errors;
    },
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

describe("fault switches", () => {
  it("drop all watches: streams end, clients re-watch and keep receiving", async () => {
    const inf = resilientInformer("/apis/tekton.dev/v1/namespaces/ci/pipelineruns");
    await inf.informer.start();
    const w = rawWatch(
      sim.api,
      `${S}/apis/tekton.dev/v1/namespaces/ci/pipelineruns?watch=1&resourceVersion=${sim.api.clusters.staging.resourceVersion()}`,
    );
    await w.status;
    await waitFor(() => sim.api.faults.state().openWatches === 2, "two open watches");
    const before = inf.connects;
    const dropped = await raw(sim.api, "POST", "/_sim/faults", { body: { action: "dropWatches" } });
    expect(dropped.json).toMatchObject({ dropped: 2 });
    expect(await w.ended).toBe(true);
    await waitFor(
      () => inf.connects > before && sim.api.faults.state().openWatches === 1,
      "informer re-watch",
    );
    sim.api.clusters.staging.create(pr("after-drop"));
    await waitFor(() => inf.seen.has("after-drop"), "event after re-watch");
    expect(inf.errors).toBe(0);
    await inf.stop();
  });

  it("the next N requests fail with 500 Status; clients retry and recover", async () => {
    sim.api.faults.failNext(3);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await custom.listNamespacedCustomObject({ group, version, namespace: "ci", plural });
        codes.push(200);
      } catch (err) {
        const e = err as k8s.ApiException<string>;
        codes.push(e.code);
        expect(JSON.parse(e.body)).toMatchObject({
          kind: "Status",
          reason: "InternalError",
          code: 500,
        });
      }
    }
    expect(codes).toEqual([500, 500, 500, 200]);

    // An informer hit by 500s errors out; restarted with backoff it recovers.
    const inf = resilientInformer("/apis/tekton.dev/v1/namespaces/ci/pipelineruns");
    await raw(sim.api, "POST", "/_sim/faults", {
      body: { action: "failNext", count: 2, cluster: "staging" },
    });
    await inf.informer.start().catch(() => {});
    sim.api.clusters.staging.create(pr("after-500s"));
    await waitFor(() => inf.seen.has("after-500s"), "informer recovery");
    expect(inf.errors).toBe(2);
    // stop() only aborts a watch that is already open: wait for it, or the informer lives on.
    await waitFor(() => sim.api.faults.state().openWatches === 1, "informer watching");
    await inf.stop();
    // failures scoped to one cluster leave the other alone
    sim.api.faults.failNext(1, { cluster: "production" });
    expect((await raw(sim.api, "GET", `${S}/api/v1/namespaces`)).status).toBe(200);
    expect((await raw(sim.api, "GET", "/clusters/production/api/v1/namespaces")).status).toBe(500);
  });

  it("hang mode: the request never answers until reset", async () => {
    sim.api.faults.failNext(1, { mode: "hang", cluster: "production" });
    const hung = raw(sim.api, "GET", "/clusters/production/api/v1/namespaces").then(
      () => "answered",
      () => "failed",
    );
    await waitFor(() => sim.api.faults.state().hungRequests === 1, "hung request");
    const raced = await Promise.race([
      hung,
      new Promise((r) => setTimeout(() => r("still waiting"), 300)),
    ]);
    expect(raced).toBe("still waiting");
    sim.api.faults.reset();
    expect(await hung).toBe("failed");
    expect((await raw(sim.api, "GET", "/clusters/production/api/v1/namespaces")).status).toBe(200);
  });

  it("pause holds every request and watch event until resume", async () => {
    const w = rawWatch(
      sim.api,
      `${S}/apis/tekton.dev/v1/namespaces/ci/pipelineruns?watch=1&resourceVersion=${sim.api.clusters.staging.resourceVersion()}`,
    );
    await w.status;
    await raw(sim.api, "POST", "/_sim/faults", { body: { action: "pause" } });
    let answered = false;
    const pending = raw(sim.api, "GET", `${S}/apis/tekton.dev/v1/namespaces/ci/pipelineruns`).then(
      (r) => {
        answered = true;
        return r;
      },
    );
    sim.api.clusters.staging.create(pr("during-pause"));
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    expect(w.events).toEqual([]);
    expect(sim.api.faults.state().paused).toBe(true);
    await raw(sim.api, "POST", "/_sim/faults", { body: { action: "resume" } });
    const res = await pending;
    expect(res.status).toBe(200);
    expect((res.json as { items: KubeObject[] }).items.map((o) => o.metadata.name)).toContain(
      "during-pause",
    );
    await waitFor(
      () =>
        w.events.some(
          (e) =>
            e.type === "ADDED" && (e.object.metadata as { name: string }).name === "during-pause",
        ),
      "held event",
    );
    w.close();
  });

  it("compact: watches from older resourceVersions get 410 (programmatic)", async () => {
    const rv = sim.api.clusters.staging.resourceVersion();
    sim.api.clusters.staging.create(pr("pre-compact"));
    sim.api.faults.compact("staging");
    const w = rawWatch(
      sim.api,
      `${S}/apis/tekton.dev/v1/pipelineruns?watch=1&resourceVersion=${rv}`,
    );
    expect(await w.ended).toBe(true);
    expect(w.events[0]).toMatchObject({ type: "ERROR", object: { code: 410 } });
  });

  it("/_sim/faults rejects unknown actions with a 400 Status", async () => {
    const res = await raw(sim.api, "POST", "/_sim/faults", { body: { action: "explode" } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: "Status", reason: "BadRequest" });
    expect((await raw(sim.api, "GET", "/_sim/faults")).json).toMatchObject({
      paused: false,
      failNext: [],
    });
  });
});

describe("write log with impersonation", () => {
  it("records Impersonate-User / Impersonate-Group and the token user on every write", async () => {
    await raw(sim.api, "DELETE", "/_sim/writes");
    const asAlice = k8s.setHeaderOptions(
      "Impersonate-User",
      "alice",
      k8s.setHeaderOptions("Impersonate-Group", "approvers"),
    );
    await custom.createNamespacedCustomObject(
      { group, version, namespace: "ci", plural, body: pr("imp-1") },
      asAlice,
    );
    await raw(sim.api, "PATCH", `${S}/apis/tekton.dev/v1/namespaces/ci/pipelineruns/imp-1`, {
      body: [{ op: "add", path: "/metadata/labels", value: { approved: "yes" } }],
      contentType: "application/json-patch+json",
      headers: {
        "Impersonate-User": "bob",
        "Impersonate-Group": ["release-managers", "system:authenticated"],
      },
    });
    await custom.deleteNamespacedCustomObject({
      group,
      version,
      namespace: "ci",
      plural,
      name: "imp-1",
    });
    await raw(sim.api, "DELETE", `${S}/apis/tekton.dev/v1/namespaces/ci/pipelineruns/imp-1`); // 404, still logged
    sim.api.clusters.staging.create(pr("in-process")); // in-process writes are not HTTP writes: not logged

    const entries = (await raw(sim.api, "GET", "/_sim/writes?cluster=staging")).json as Record<
      string,
      unknown
    >[];
    expect(entries.map((e) => [e.verb, e.user, e.code])).toEqual([
      ["create", "alice", 201],
      ["patch", "bob", 200],
      ["delete", "shiplog", 200],
      ["delete", "shiplog", 404],
    ]);
    expect(entries[0]).toMatchObject({
      cluster: "staging",
      kind: "PipelineRun",
      apiVersion: "tekton.dev/v1",
      resource: "pipelineruns",
      namespace: "ci",
      name: "imp-1",
      groups: ["approvers"],
      impersonatedBy: "shiplog",
      body: { metadata: { name: "imp-1" } },
    });
    expect(entries[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(entries[1]).toMatchObject({
      groups: ["release-managers", "system:authenticated"],
      patchType: "json",
      body: [{ op: "add", path: "/metadata/labels", value: { approved: "yes" } }],
    });
    expect(entries[2]).toMatchObject({ groups: ["system:authenticated"] });
    expect(entries[2].impersonatedBy).toBeUndefined();
    expect(sim.api.writes.entries({ user: "bob" })).toHaveLength(1);
    expect((await raw(sim.api, "GET", "/_sim/writes?user=alice")).json).toHaveLength(1);
  });
});
