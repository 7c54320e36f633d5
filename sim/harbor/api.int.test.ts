// The simulated Harbor over real HTTP: authentication, projects, repositories, artifact
// lookups, the double-encoded repository names, pagination and Harbor's error bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harbor, createHarbor } from "./index";
import { swaggerValidator } from "./swagger-schema";
import { apiClient } from "./test-support";
import type { ArtifactJson } from "./types";

const schemas = swaggerValidator({ goNilable: true, closed: true });

function expectValid(definition: string, value: unknown) {
  const validate = schemas.validator(definition);
  validate(value);
  expect(validate.errors ?? []).toEqual([]);
}

let harbor: Harbor;
let api: ReturnType<typeof apiClient>;
const pushed: ArtifactJson[] = [];

beforeAll(async () => {
  harbor = await createHarbor({
    registry: "harbor.shiplog.test",
    scanner: { pendingMs: 40 },
    projects: [{ name: "shiplog" }, { name: "library", public: true }],
  });
  for (const [i, tag] of ["1.0.0", "1.1.0", "1.2.0"].entries()) {
    pushed.push(
      harbor.pushArtifact({
        project: "shiplog",
        repository: "team/app",
        tag,
        labels: { "org.opencontainers.image.revision": `c0ffee${i}` },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  harbor.pushArtifact({ project: "library", repository: "alpine", tag: "3.19" });
  api = apiClient(harbor);
});

afterAll(async () => {
  await harbor?.close();
});

const APP = "/api/v2.0/projects/shiplog/repositories/team%252Fapp";

async function expectError(path: string, status: number, code: string, message: string, init = {}) {
  const result = await api(path, init);
  expect(result.status).toBe(status);
  expect(result.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(result.json).toEqual({ errors: [{ code, message }] });
  expectValid("Errors", result.json);
}

describe("authentication", () => {
  it("answers 401 with Harbor's error body without, or with wrong, credentials", async () => {
    for (const auth of ["none", "wrong"] as const) {
      await expectError(`${APP}/artifacts`, 401, "UNAUTHORIZED", "unauthorized", { auth });
      await expectError("/api/v2.0/projects/shiplog", 401, "UNAUTHORIZED", "unauthorized", {
        auth,
      });
    }
    expect((await api(`${APP}/artifacts`)).status).toBe(200);
  });

  it("lets anonymous callers read public projects, system info and ping", async () => {
    const projects = await api("/api/v2.0/projects", { auth: "none" });
    expect(projects.json.map((p: { name: string }) => p.name)).toEqual(["library"]);
    expect(
      (await api("/api/v2.0/projects/library/repositories/alpine/artifacts", { auth: "none" }))
        .status,
    ).toBe(200);
    const info = await api("/api/v2.0/systeminfo", { auth: "none" });
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ auth_mode: "db_auth" });
    expect(info.json).not.toHaveProperty("harbor_version");
    expect((await api("/api/v2.0/systeminfo")).json).toMatchObject({
      registry_url: "harbor.shiplog.test",
    });
    expect((await api("/api/v2.0/ping", { auth: "none" })).text).toBe("Pong");
  });
});

describe("projects and repositories", () => {
  it("lists and gets projects, by name, fuzzy name and id", async () => {
    const all = await api("/api/v2.0/projects");
    expect(all.response.headers.get("x-total-count")).toBe("2");
    for (const project of all.json) expectValid("Project", project);
    const fuzzy = await api("/api/v2.0/projects?name=ship");
    expect(fuzzy.json.map((p: { name: string }) => p.name)).toEqual(["shiplog"]);
    const byName = await api("/api/v2.0/projects/shiplog");
    expect(byName.json).toMatchObject({
      name: "shiplog",
      metadata: { public: "false" },
      repo_count: 1,
    });
    expect((await api(`/api/v2.0/projects/${byName.json.project_id}`)).json.name).toBe("shiplog");
  });

  it("lists and gets repositories by their full name", async () => {
    const list = await api("/api/v2.0/projects/shiplog/repositories");
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ name: "shiplog/team/app", artifact_count: 3 });
    expectValid("Repository", list.json[0]);
    expect((await api(APP)).json).toEqual(list.json[0]);
  });
});

describe("artifacts", () => {
  it("lists artifacts newest first, in the swagger Artifact shape", async () => {
    const { response, json } = await api(`${APP}/artifacts?with_tag=true&with_scan_overview=true`);
    expect(response.headers.get("x-total-count")).toBe("3");
    expect(response.headers.get("link")).toBeNull();
    expect(json.map((a: ArtifactJson) => a.tags?.[0].name)).toEqual(["1.2.0", "1.1.0", "1.0.0"]);
    for (const artifact of json) expectValid("Artifact", artifact);
    expect(json[0]).toMatchObject({
      type: "IMAGE",
      repository_name: "shiplog/team/app",
      digest: pushed[2].digest,
      extra_attrs: { config: { Labels: { "org.opencontainers.image.revision": "c0ffee2" } } },
    });
  });

  it("gets one artifact by digest and by tag, and lists its tags", async () => {
    const byDigest = await api(`${APP}/artifacts/${pushed[1].digest}`);
    const byTag = await api(`${APP}/artifacts/1.1.0`);
    expect(byDigest.status).toBe(200);
    expect(byTag.json).toEqual(byDigest.json);
    expectValid("Artifact", byTag.json);
    expect(byTag.json.tags.map((t: { name: string }) => t.name)).toEqual(["1.1.0"]);
    expect((await api(`${APP}/artifacts/1.1.0?with_tag=false`)).json.tags).toBeNull();
    const tags = await api(`${APP}/artifacts/${pushed[1].digest}/tags`);
    expect(tags.response.headers.get("x-total-count")).toBe("1");
    expectValid("Tag", tags.json[0]);
  });

  it("needs names with a slash encoded twice: once, or not at all, is a 404", async () => {
    for (const path of [
      "/api/v2.0/projects/shiplog/repositories/team%2Fapp/artifacts",
      "/api/v2.0/projects/shiplog/repositories/team/app/artifacts",
    ]) {
      const result = await api(path);
      expect(result.status).toBe(404);
      expect(result.json.errors[0].code).toBe("NOT_FOUND");
      expect(result.json.errors[0].message).toBe(
        "path /api/v2.0/projects/shiplog/repositories/team/app/artifacts was not found",
      );
    }
    expect((await api("/api/v2.0/projects/shiplog/repositories/team%2Fapp")).status).toBe(404);
  });

  it("pages with X-Total-Count and Harbor's Link header", async () => {
    const first = await api(`${APP}/artifacts?page_size=2`);
    expect(first.json).toHaveLength(2);
    expect(first.response.headers.get("x-total-count")).toBe("3");
    expect(first.response.headers.get("link")).toBe(
      `<${APP}/artifacts?page=2&page_size=2>; rel="next"`,
    );
    const next = /<([^>]+)>; rel="next"/.exec(first.response.headers.get("link")!)![1];
    const second = await api(next);
    expect(second.json.map((a: ArtifactJson) => a.digest)).toEqual([pushed[0].digest]);
    expect(second.response.headers.get("link")).toBe(
      `<${APP}/artifacts?page=1&page_size=2>; rel="prev"`,
    );
    const middle = await api(`${APP}/artifacts?page=2&page_size=1&with_tag=true`);
    expect(middle.response.headers.get("link")).toBe(
      `<${APP}/artifacts?page=1&page_size=1&with_tag=true>; rel="prev" , ` +
        `<${APP}/artifacts?page=3&page_size=1&with_tag=true>; rel="next"`,
    );
    await expectError(
      `${APP}/artifacts?page_size=500`,
      422,
      "UNPROCESSABLE_ENTITY",
      "validation failure list:\npage_size in query should be less than or equal to 100",
    );
  });

  it("filters with q", async () => {
    const tagged = await api(`${APP}/artifacts?q=${encodeURIComponent("tags=1.1.0")}`);
    expect(tagged.json.map((a: ArtifactJson) => a.digest)).toEqual([pushed[1].digest]);
    const fuzzy = await api(`${APP}/artifacts?q=${encodeURIComponent("tags=~1.")}`);
    expect(fuzzy.response.headers.get("x-total-count")).toBe("3");
  });
});

describe("errors", () => {
  it("answers unknown things with Harbor's 404 messages", async () => {
    await expectError(
      `${APP}/artifacts/9.9.9`,
      404,
      "NOT_FOUND",
      "artifact shiplog/team/app:9.9.9 not found",
    );
    const digest = `sha256:${"0".repeat(64)}`;
    await expectError(
      `${APP}/artifacts/${digest}`,
      404,
      "NOT_FOUND",
      `artifact shiplog/team/app@${digest} not found`,
    );
    await expectError(
      "/api/v2.0/projects/shiplog/repositories/nope",
      404,
      "NOT_FOUND",
      "repository shiplog/nope not found",
    );
    await expectError("/api/v2.0/projects/nope", 404, "NOT_FOUND", "project nope not found");
    await expectError(
      "/api/v2.0/projects/nope/repositories",
      404,
      "NOT_FOUND",
      "project nope not found",
    );
    // like Harbor, listing a repository that does not exist is an empty list
    const empty = await api("/api/v2.0/projects/shiplog/repositories/nope/artifacts");
    expect([empty.status, empty.json, empty.response.headers.get("x-total-count")]).toEqual([
      200,
      [],
      "0",
    ]);
  });

  it("answers bad requests and wrong methods with Harbor's error body", async () => {
    await expectError(
      `${APP}/artifacts?q=tags`,
      400,
      "BAD_REQUEST",
      'the query string must contain "=" and the key/value cannot be empty',
    );
    await expectError(
      `${APP}/artifacts/1.0.0`,
      405,
      "METHOD_NOT_ALLOWED",
      "method PUT is not allowed, but [GET,DELETE] are",
      {
        method: "PUT",
      },
    );
  });

  it("deletes an artifact, after which it is gone", async () => {
    harbor.pushArtifact({ project: "shiplog", repository: "scratch", tag: "tmp" });
    expect(
      (
        await api("/api/v2.0/projects/shiplog/repositories/scratch/artifacts/tmp", {
          method: "DELETE",
        })
      ).status,
    ).toBe(200);
    await expectError(
      "/api/v2.0/projects/shiplog/repositories/scratch/artifacts/tmp",
      404,
      "NOT_FOUND",
      "artifact shiplog/scratch:tmp not found",
    );
  });
});
