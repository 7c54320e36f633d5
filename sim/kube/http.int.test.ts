// Contract: the HTTP API's lists, discovery, watch streams, and the catch-all for unexpected errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Faults } from "./faults";
import { startKubeHttpServer } from "./http-server";
import { Store } from "./store";
import { type TestSim, raw, startTestSim, waitFor } from "./test-support";
import type { KubeObject } from "./types";
import { rawWatch } from "./watch-stream";
import { WriteLog } from "./write-log";

let sim: TestSim;
const S = "/clusters/staging";
const CR = `${S}/apis/tekton.dev/v1beta1/namespaces/ci/customruns`;

const customRun = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "tekton.dev/v1beta1",
  kind: "CustomRun",
  metadata: { name, labels },
  spec: { customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" } },
});

beforeAll(async () => {
  sim = await startTestSim({ bookmarkIntervalMs: 150 });
});

afterAll(async () => {
  await sim?.close();
});

describe("catch-all", () => {
  it("an unexpected exception is a 500 Status, reported to onError, and the server keeps serving", async () => {
    class ExplodingStore extends Store {
      override get(): KubeObject {
        throw new TypeError("boom");
      }
    }
    const store = new ExplodingStore({ cluster: "x", registry: sim.api.registry });
    const errors: unknown[] = [];
    const server = await startKubeHttpServer({
      host: "127.0.0.1",
      port: 0,
      tls: { key: sim.api.certs.keyPem, cert: sim.api.certs.certPem },
      clusters: { x: store },
      tokens: { t: { user: "u", groups: [] } },
      env: {
        faults: new Faults({ x: store }),
        writes: new WriteLog(),
        bookmarkIntervalMs: 1000,
        now: () => new Date(),
      },
      onError: (e) => errors.push(e),
    });
    try {
      const api = { ...sim.api, url: `https://127.0.0.1:${server.port}` };
      const res = await raw(api, "GET", "/clusters/x/api/v1/namespaces/default", { token: "t" });
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({
        kind: "Status",
        status: "Failure",
        reason: "InternalError",
        code: 500,
        message: "Internal error occurred: boom",
      });
      expect(errors).toHaveLength(1);
      expect((await raw(api, "GET", "/clusters/x/api/v1/namespaces", { token: "t" })).status).toBe(
        200,
      );
    } finally {
      await server.close();
    }
  });
});

describe("lists", () => {
  it("cluster-wide and namespaced, with labelSelector, fieldSelector, limit/continue and the list resourceVersion", async () => {
    const path = `${S}/apis/tekton.dev/v1beta1/namespaces/apps/customruns`;
    for (let i = 0; i < 4; i++)
      await raw(sim.api, "POST", path, { body: customRun(`l-${i}`, { tier: i < 2 ? "a" : "b" }) });
    await raw(sim.api, "POST", CR, { body: customRun("l-in-ci") });
    const all = (await raw(sim.api, "GET", `${S}/apis/tekton.dev/v1beta1/customruns`)).json as {
      kind: string;
      metadata: { resourceVersion: string };
      items: KubeObject[];
    };
    expect(all.kind).toBe("CustomRunList");
    expect(all.metadata.resourceVersion).toBe(sim.api.clusters.staging.resourceVersion());
    expect(new Set(all.items.map((o) => o.metadata.namespace))).toEqual(new Set(["ci", "apps"]));
    const sel = (
      await raw(sim.api, "GET", `${path}?labelSelector=${encodeURIComponent("tier=b,!nope")}`)
    ).json as { items: KubeObject[] };
    expect(sel.items.map((o) => o.metadata.name)).toEqual(["l-2", "l-3"]);
    const field = (await raw(sim.api, "GET", `${path}?fieldSelector=metadata.name%3Dl-1`)).json as {
      items: KubeObject[];
    };
    expect(field.items.map((o) => o.metadata.name)).toEqual(["l-1"]);
    const p1 = (await raw(sim.api, "GET", `${path}?limit=3`)).json as {
      items: KubeObject[];
      metadata: { continue: string; remainingItemCount: number };
    };
    expect(p1.items).toHaveLength(3);
    expect(p1.metadata.remainingItemCount).toBe(1);
    const p2 = (
      await raw(
        sim.api,
        "GET",
        `${path}?limit=3&continue=${encodeURIComponent(p1.metadata.continue)}`,
      )
    ).json as { items: KubeObject[]; metadata: { continue?: string } };
    expect(p2.items.map((o) => o.metadata.name)).toEqual(["l-3"]);
    expect(p2.metadata.continue).toBeUndefined();
  });
});

describe("discovery", () => {
  it("serves legacy discovery documents", async () => {
    expect((await raw(sim.api, "GET", `${S}/api`)).json).toMatchObject({
      kind: "APIVersions",
      versions: ["v1"],
    });
    const apis = (await raw(sim.api, "GET", `${S}/apis`)).json as {
      kind: string;
      groups: { name: string; preferredVersion: { version: string } }[];
    };
    expect(apis.kind).toBe("APIGroupList");
    expect(apis.groups.find((g) => g.name === "tekton.dev")?.preferredVersion.version).toBe("v1");
    const tekton = (await raw(sim.api, "GET", `${S}/apis/tekton.dev/v1`)).json as {
      kind: string;
      resources: Record<string, unknown>[];
    };
    expect(tekton.kind).toBe("APIResourceList");
    expect(tekton.resources.find((r) => r.name === "pipelineruns")).toMatchObject({
      singularName: "pipelinerun",
      namespaced: true,
      kind: "PipelineRun",
      shortNames: ["pr", "prs"],
      verbs: expect.arrayContaining([
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
      ]),
    });
    expect(tekton.resources.find((r) => r.name === "pipelineruns/status")).toMatchObject({
      verbs: ["get", "patch", "update"],
    });
    const core = (await raw(sim.api, "GET", `${S}/api/v1`)).json as {
      resources: { name: string }[];
    };
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(["namespaces", "pods", "pods/log", "pods/status", "events"]),
    );
  });

  it("serves aggregated discovery when kubectl asks for it", async () => {
    const accept =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    const res = await raw(sim.api, "GET", `${S}/apis`, { headers: { Accept: accept } });
    expect(res.headers["content-type"]).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    );
    const doc = res.json as {
      kind: string;
      items: {
        metadata: { name: string };
        versions: { version: string; resources: Record<string, unknown>[] }[];
      }[];
    };
    expect(doc.kind).toBe("APIGroupDiscoveryList");
    const tekton = doc.items.find((i) => i.metadata.name === "tekton.dev")!;
    expect(tekton.versions.map((v) => v.version)).toEqual(["v1", "v1beta1"]);
    expect(tekton.versions[1].resources[0]).toMatchObject({
      resource: "customruns",
      scope: "Namespaced",
      responseKind: { group: "tekton.dev", version: "v1beta1", kind: "CustomRun" },
      subresources: [{ subresource: "status", verbs: ["get", "patch", "update"] }],
    });
  });
});

describe("watch over HTTP", () => {
  it("streams ADDED/MODIFIED/DELETED, then BOOKMARKs, and timeoutSeconds closes the stream", async () => {
    const path = `${S}/apis/kpack.io/v1alpha2/namespaces/kpack/builds`;
    const from = sim.api.clusters.staging.resourceVersion();
    const w = rawWatch(
      sim.api,
      `${path}?watch=1&resourceVersion=${from}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    expect(await w.status).toBe(200);
    await raw(sim.api, "POST", path, {
      body: { apiVersion: "kpack.io/v1alpha2", kind: "Build", metadata: { name: "b1" }, spec: {} },
    });
    await raw(sim.api, "PATCH", `${path}/b1/status`, {
      body: { status: { latestImage: "r/a@sha256:1" } },
      contentType: "application/merge-patch+json",
    });
    await raw(sim.api, "DELETE", `${path}/b1`);
    await waitFor(() => w.events.some((e) => e.type === "BOOKMARK"), "a bookmark");
    const types = w.events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    const rvs = w.events.map((e) =>
      Number((e.object.metadata as { resourceVersion: string }).resourceVersion),
    );
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(w.events.find((e) => e.type === "BOOKMARK")?.object).toMatchObject({
      kind: "Build",
      apiVersion: "kpack.io/v1alpha2",
    });
    const started = Date.now();
    expect(await w.ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("without a resourceVersion starts with synthetic ADDED events for the current state", async () => {
    const w = rawWatch(sim.api, `${S}/api/v1/namespaces?watch=true`);
    await waitFor(() => w.events.length >= 5, "initial namespaces");
    expect(w.events.every((e) => e.type === "ADDED")).toBe(true);
    w.close();
  });

  it("a compacted resourceVersion answers 200 with one ERROR event: Status 410 Expired", async () => {
    const old = sim.api.clusters.staging.resourceVersion();
    await raw(sim.api, "POST", CR, { body: customRun("after-old") });
    await raw(sim.api, "POST", "/_sim/faults", { body: { action: "compact", cluster: "staging" } });
    const w = rawWatch(sim.api, `${CR}?watch=1&resourceVersion=${old}`);
    expect(await w.status).toBe(200);
    expect(await w.ended).toBe(true);
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe("ERROR");
    expect(w.events[0].object).toMatchObject({
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "Expired",
      code: 410,
    });
    expect(w.events[0].object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    // production has its own history: the same number is still fine there
    const p = rawWatch(
      sim.api,
      `/clusters/production/apis/tekton.dev/v1beta1/customruns?watch=1&resourceVersion=1&timeoutSeconds=0`,
    );
    expect(await p.ended).toBe(true);
    expect(p.events.some((e) => e.type === "ERROR")).toBe(false);
  });
});
