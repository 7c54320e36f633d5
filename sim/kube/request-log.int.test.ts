// GET /_sim/requests: every authenticated request as Kubernetes' authorizer names it (verb, group,
// resource, subresource), with an impersonating request's `impersonate` checks on users and groups.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { raw, startTestSim, type TestSim } from "./test-support";

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(() => sim?.close());
beforeEach(() => sim.api.requests.clear());

const PRS = "/clusters/staging/apis/tekton.dev/v1/namespaces/ci/pipelineruns";
const pipelineRun = {
  apiVersion: "tekton.dev/v1",
  kind: "PipelineRun",
  metadata: { name: "pr-1" },
  spec: { pipelineRef: { name: "build" } },
};

describe("the request log", () => {
  it("names each request's verb, group, resource and subresource", async () => {
    expect((await raw(sim.api, "POST", PRS, { body: pipelineRun })).status).toBe(201);
    await raw(sim.api, "GET", PRS);
    await raw(sim.api, "GET", `${PRS}/pr-1`);
    await raw(sim.api, "PATCH", `${PRS}/pr-1/status`, {
      body: { status: {} },
      contentType: "application/merge-patch+json",
    });
    await raw(sim.api, "GET", "/clusters/staging/api/v1/namespaces/ci/pods/p/log");
    await raw(sim.api, "GET", "/clusters/staging/apis");
    await raw(sim.api, "GET", `${PRS}`, { token: null });
    const seen = (await raw(sim.api, "GET", "/_sim/requests?cluster=staging", { token: null }))
      .json as Array<Record<string, unknown>>;
    expect(
      seen.map((r) => [r.user, r.verb, r.apiGroup, r.resource, r.subresource, r.name, r.path]),
    ).toEqual([
      ["shiplog", "create", "tekton.dev", "pipelineruns", undefined, undefined, undefined],
      ["shiplog", "list", "tekton.dev", "pipelineruns", undefined, undefined, undefined],
      ["shiplog", "get", "tekton.dev", "pipelineruns", undefined, "pr-1", undefined],
      ["shiplog", "patch", "tekton.dev", "pipelineruns", "status", "pr-1", undefined],
      ["shiplog", "get", "", "pods", "log", "p", undefined],
      ["shiplog", "get", undefined, undefined, undefined, undefined, "/apis"],
    ]);
  });

  it("calls a list with watch=1 a watch", async () => {
    const watch = raw(sim.api, "GET", `${PRS}?watch=1&timeoutSeconds=1`);
    await watch;
    expect(sim.api.requests.entries().map((r) => r.verb)).toEqual(["watch"]);
  });

  it("records impersonation as `impersonate` on users and groups by the token's user", async () => {
    await raw(sim.api, "POST", PRS, { body: { ...pipelineRun, metadata: { name: "pr-2" } } });
    sim.api.requests.clear();
    await raw(sim.api, "PATCH", `${PRS}/pr-2`, {
      body: { metadata: { labels: { a: "b" } } },
      contentType: "application/merge-patch+json",
      headers: { "Impersonate-User": "alice", "Impersonate-Group": "release-managers" },
    });
    expect(sim.api.requests.entries({ verb: "impersonate" })).toEqual([
      expect.objectContaining({ user: "shiplog", resource: "users", name: "alice", apiGroup: "" }),
      expect.objectContaining({ user: "shiplog", resource: "groups", name: "release-managers" }),
    ]);
    expect(sim.api.requests.entries({ verb: "patch" })).toEqual([
      expect.objectContaining({
        user: "alice",
        impersonatedBy: "shiplog",
        resource: "pipelineruns",
      }),
    ]);
  });

  it("forgets everything on DELETE /_sim/requests", async () => {
    await raw(sim.api, "GET", PRS);
    expect((await raw(sim.api, "DELETE", "/_sim/requests", { token: null })).status).toBe(200);
    expect(sim.api.requests.entries()).toEqual([]);
  });
});
