// Contract: every error the HTTP API answers is a Kubernetes Status object with the apiserver's code and reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestSim, raw, startTestSim } from "./test-support";
import type { KubeObject } from "./types";

let sim: TestSim;
const S = "/clusters/staging";
const CR = `${S}/apis/tekton.dev/v1beta1/namespaces/ci/customruns`;
const PR = `${S}/apis/tekton.dev/v1/namespaces/ci/pipelineruns`;

const customRun = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "tekton.dev/v1beta1",
  kind: "CustomRun",
  metadata: { name, labels },
  spec: { customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" } },
});

beforeAll(async () => {
  sim = await startTestSim();
});

afterAll(async () => {
  await sim?.close();
});

describe("errors are Kubernetes Status objects", () => {
  it("409 Conflict on a stale resourceVersion (PUT and merge patch)", async () => {
    const created = (await raw(sim.api, "POST", CR, { body: customRun("stale") }))
      .json as KubeObject;
    await raw(sim.api, "PATCH", `${CR}/stale`, {
      body: { metadata: { labels: { a: "1" } } },
      contentType: "application/merge-patch+json",
    });
    const put = await raw(sim.api, "PUT", `${CR}/stale`, { body: created });
    expect(put.status).toBe(409);
    expect(put.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'Operation cannot be fulfilled on customruns.tekton.dev "stale": the object has been modified; please apply your changes to the latest version and try again',
      reason: "Conflict",
      details: { name: "stale", group: "tekton.dev", kind: "customruns" },
      code: 409,
    });
    const patch = await raw(sim.api, "PATCH", `${CR}/stale`, {
      body: {
        metadata: { resourceVersion: created.metadata.resourceVersion },
        spec: { timeout: "1h" },
      },
      contentType: "application/merge-patch+json",
    });
    expect(patch.status).toBe(409);
    expect(patch.json).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
  });

  it("metadata.generation moves on spec changes only", async () => {
    await raw(sim.api, "POST", PR, {
      body: {
        apiVersion: "tekton.dev/v1",
        kind: "PipelineRun",
        metadata: { name: "gen" },
        spec: { pipelineRef: { name: "p" } },
      },
    });
    const merge = (path: string, body: unknown) =>
      raw(sim.api, "PATCH", path, { body, contentType: "application/merge-patch+json" });
    const gen = async () =>
      ((await raw(sim.api, "GET", `${PR}/gen`)).json as KubeObject).metadata.generation;
    expect(await gen()).toBe(1);
    await merge(`${PR}/gen`, { metadata: { labels: { x: "1" }, annotations: { y: "2" } } });
    expect(await gen()).toBe(1);
    await merge(`${PR}/gen/status`, {
      status: { conditions: [{ type: "Succeeded", status: "Unknown" }] },
    });
    expect(await gen()).toBe(1);
    await merge(`${PR}/gen`, { spec: { status: "Cancelled" } });
    expect(await gen()).toBe(2);
    await merge(`${PR}/gen`, { spec: { status: "Cancelled" } }); // no-op
    expect(await gen()).toBe(2);
  });

  it("422 Invalid on a schema-invalid object", async () => {
    const res = await raw(sim.api, "POST", PR, {
      body: {
        apiVersion: "tekton.dev/v1",
        kind: "PipelineRun",
        metadata: { name: "bad" },
        spec: { params: [{ name: "a" }], timeouts: { pipeline: 60 } },
      },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Invalid",
      code: 422,
      details: { name: "bad", group: "tekton.dev", kind: "PipelineRun" },
    });
    const causes = (res.json as { details: { causes: { field: string; reason: string }[] } })
      .details.causes;
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "spec.params[0].value", reason: "FieldValueRequired" }),
        expect.objectContaining({
          field: "spec.timeouts.pipeline",
          reason: "FieldValueTypeInvalid",
        }),
      ]),
    );
    expect((res.json as { message: string }).message).toMatch(
      /^PipelineRun\.tekton\.dev "bad" is invalid: /,
    );
    const badName = await raw(sim.api, "POST", CR, { body: customRun("Not_A_Name") });
    expect(badName.status).toBe(422);
    expect(badName.json).toMatchObject({
      reason: "Invalid",
      details: { causes: [{ field: "metadata.name" }] },
    });
  });

  it("400 BadRequest on malformed JSON, on a bad selector and on a name mismatch", async () => {
    for (const [method, path, contentType] of [
      ["POST", CR, "application/json"],
      ["PUT", `${CR}/x`, "application/json"],
      ["PATCH", `${CR}/x`, "application/merge-patch+json"],
    ] as const) {
      const res = await raw(sim.api, method, path, {
        body: '{"apiVersion": "tekton.dev/v1beta1", kind:',
        contentType,
      });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.json).toMatchObject({
        kind: "Status",
        status: "Failure",
        reason: "BadRequest",
        code: 400,
      });
    }
    const sel = await raw(sim.api, "GET", `${CR}?labelSelector=${encodeURIComponent("a in (b")}`);
    expect(sel.status).toBe(400);
    expect(sel.json).toMatchObject({ reason: "BadRequest" });
    await raw(sim.api, "POST", CR, { body: customRun("named") });
    const got = (await raw(sim.api, "GET", `${CR}/named`)).json as KubeObject;
    const mismatch = await raw(sim.api, "PUT", `${CR}/named`, {
      body: { ...got, metadata: { ...got.metadata, name: "other" } },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json).toMatchObject({
      message: "the name of the object (other) does not match the name on the URL (named)",
    });
  });

  it("404 NotFound on unknown kind, namespace and name", async () => {
    const kind = await raw(sim.api, "GET", `${S}/apis/tekton.dev/v1/namespaces/ci/frobnicators`);
    expect(kind.status).toBe(404);
    expect(kind.json).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      code: 404,
      message: "the server could not find the requested resource",
    });
    expect((await raw(sim.api, "GET", `${S}/apis/nope.example.com/v1`)).status).toBe(404);
    const ns = await raw(
      sim.api,
      "POST",
      `${S}/apis/tekton.dev/v1beta1/namespaces/nope/customruns`,
      { body: customRun("x") },
    );
    expect(ns.status).toBe(404);
    expect(ns.json).toMatchObject({
      reason: "NotFound",
      message: 'namespaces "nope" not found',
      details: { name: "nope", kind: "namespaces" },
    });
    const name = await raw(sim.api, "GET", `${CR}/missing`);
    expect(name.status).toBe(404);
    expect(name.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'customruns.tekton.dev "missing" not found',
      reason: "NotFound",
      details: { name: "missing", group: "tekton.dev", kind: "customruns" },
      code: 404,
    });
    expect((await raw(sim.api, "GET", "/clusters/nowhere/api")).status).toBe(404);
  });

  it("405, 415 and 401 like a real apiserver", async () => {
    const post = await raw(sim.api, "POST", `${CR}/x`, { body: customRun("x") });
    expect(post.status).toBe(405);
    expect(post.json).toMatchObject({ reason: "MethodNotAllowed", code: 405 });
    expect(
      (
        await raw(sim.api, "POST", `${S}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
          body: {},
        })
      ).status,
    ).toBe(405);
    await raw(sim.api, "POST", CR, { body: customRun("smp") });
    const smp = await raw(sim.api, "PATCH", `${CR}/smp`, {
      body: { spec: {} },
      contentType: "application/strategic-merge-patch+json",
    });
    expect(smp.status).toBe(415);
    expect(smp.json).toMatchObject({ kind: "Status", reason: "UnsupportedMediaType", code: 415 });
    expect((smp.json as { message: string }).message).toMatch(
      /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json/,
    );
    expect(
      (await raw(sim.api, "PATCH", `${CR}/smp`, { body: "{}", contentType: "text/plain" })).status,
    ).toBe(415);
    const anon = await raw(sim.api, "GET", CR, { token: null });
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ reason: "Unauthorized", code: 401 });
    expect((await raw(sim.api, "GET", `${S}/version`, { token: null })).status).toBe(200);
  });

  it("fieldValidation: Strict rejects unknown fields, Warn (default) drops them with a Warning header; dryRun stores nothing", async () => {
    const body = {
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { name: "fv" },
      spec: { pipelineRef: { name: "p" }, bogus: 1 },
    };
    const strict = await raw(sim.api, "POST", `${PR}?fieldValidation=Strict`, { body });
    expect(strict.status).toBe(400);
    expect(strict.json).toMatchObject({
      reason: "BadRequest",
      message: 'strict decoding error: unknown field "spec.bogus"',
    });
    const dry = await raw(sim.api, "POST", `${PR}?dryRun=All`, { body });
    expect(dry.status).toBe(201);
    expect((await raw(sim.api, "GET", `${PR}/fv`)).status).toBe(404);
    const warn = await raw(sim.api, "POST", PR, { body });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.bogus\\""');
    expect((warn.json as KubeObject).spec).toEqual({ pipelineRef: { name: "p" } });
  });
});
