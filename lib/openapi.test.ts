import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { assembleTimeline } from "./timeline/assemble";
import { NOW, scenario } from "@/test/timeline-rows";
import type { CommitSummary } from "./timeline/types";
import { schemaErrors } from "@/test/openapi-schema";

const validator = (name: string) => (data: unknown) => schemaErrors(name, data);

/** Every `$ref` in a value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "$ref" && typeof v === "string" ? [v] : refs(v),
  );
}

describe("the OpenAPI document", () => {
  it("covers every endpoint of the HTTP API, saying which are built", () => {
    const ops = Object.entries(openApiDocument.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) => `${method.toUpperCase()} ${path} ${op["x-shiplog-implemented"]}`,
      ),
    );
    expect(ops.sort()).toEqual(
      [
        "GET /api/v1/apps true",
        "GET /api/v1/commits true",
        "GET /api/v1/commits/{sha} true",
        "GET /api/v1/runs/{cluster}/{namespace}/{kind}/{name} true",
        "GET /api/v1/runs/{cluster}/{namespace}/{kind}/{name}/logs true",
        "GET /api/v1/deployments true",
        "GET /api/v1/openapi.json true",
        "GET /api/v1/approvals true",
        "POST /api/v1/approvals/{id}/decision true",
        "POST /api/v1/reruns true",
        "GET /api/v1/events true",
        "GET /api/v1/tokens true",
        "POST /api/v1/tokens true",
        "DELETE /api/v1/tokens/{id} true",
        "GET /api/v1/metrics/dora false",
        "POST /api/webhooks/harbor true",
        "POST /api/webhooks/git true",
        "GET /api/healthz true",
        "GET /api/readyz true",
        "GET /metrics true",
      ].sort(),
    );
    for (const methods of Object.values(openApiDocument.paths)) {
      for (const op of Object.values(methods)) {
        if (!op["x-shiplog-implemented"]) expect(op.description).toMatch(/^Not implemented yet/);
      }
    }
  });

  it("is OpenAPI 3.1 with the contract's schemas, and every $ref resolves", () => {
    expect(openApiDocument.openapi).toBe("3.1.0");
    const schemas = openApiDocument.components.schemas;
    for (const name of ["CommitSummary", "CommitTimeline", "Stage", "Gate"]) {
      expect(schemas[name], name).toBeDefined();
    }
    expect(schemas.Stage.required).toEqual(
      expect.arrayContaining([
        "id",
        "stage",
        "status",
        "title",
        "startedAt",
        "finishedAt",
        "durationMs",
        "environment",
        "cluster",
        "resource",
        "url",
        "linkedBy",
        "details",
      ]),
    );
    const missing = refs(openApiDocument).filter(
      (r) => !(r.replace("#/components/schemas/", "") in schemas),
    );
    expect(missing).toEqual([]);
  });

  it("describes what the server actually returns", () => {
    const timeline = assembleTimeline(scenario("approved"), NOW, { argocd: "https://argo" });
    expect(validator("CommitTimeline")(timeline)).toEqual([]);
    // The list's items are built by Postgres (lib/db/commits.int.test.ts checks those).
    const { commit } = scenario();
    const summary: CommitSummary = {
      app: "payments",
      sha: commit.sha,
      shortSha: commit.sha.slice(0, 7),
      branch: commit.branch,
      author: commit.author,
      message: commit.message,
      committedAt: commit.committedAt?.toISOString() ?? null,
      status: "running",
      stages: timeline.stageStatuses,
    };
    expect(validator("CommitSummary")(summary)).toEqual([]);
    expect(validator("CommitPage")({ items: [summary], nextCursor: "abc" })).toEqual([]);
    expect(
      validator("AppListing")({
        name: "payments",
        repoUrl: null,
        environments: ["staging"],
        latest: summary,
      }),
    ).toEqual([]);
  });

  it("would catch a drift: a stage without its status is invalid", () => {
    const timeline = assembleTimeline(scenario(), NOW);
    const { status: _status, ...broken } = timeline.stages[1];
    expect(validator("Stage")(broken)).toEqual([" must have required property 'status'"]);
    expect(validator("Stage")({ ...timeline.stages[1], status: "green" })).toContain(
      "/status must be equal to one of the allowed values",
    );
  });
});
