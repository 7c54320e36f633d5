// What the simulator returns must validate against Harbor's own swagger definitions
// (fixtures/swagger.yaml), closed so that an invented or misspelt key fails too.
import { describe, expect, it } from "vitest";
import { HarborCore } from "./core";
import { notFound, validationFailure } from "./errors";
import { NATIVE_REPORT_MIME, VULN_REPORT_MIME } from "./scan-summary";
import { swaggerValidator } from "./swagger-schema";
import { fakeClock, fakeFetch, fixture, seededRandom } from "./test-support";
import type { ArtifactJson, WebhookPayload } from "./types";
import { artifactJson, projectJson, repositoryJson, tagJson } from "./views";

const schemas = swaggerValidator({ goNilable: true, closed: true });

function expectValid(definition: string, value: unknown) {
  const validate = schemas.validator(definition);
  const ok = validate(value);
  expect(validate.errors ?? [], `${definition}: ${JSON.stringify(value)}`).toEqual([]);
  expect(ok).toBe(true);
}

function expectArtifactValid(artifact: ArtifactJson) {
  expectValid("Artifact", artifact);
  for (const tag of artifact.tags ?? []) expectValid("Tag", tag);
  for (const summary of Object.values(artifact.scan_overview ?? {})) {
    expectValid("NativeReportSummary", summary);
  }
}

function newCore(fetchImpl?: typeof fetch) {
  const clock = fakeClock("2024-03-05T07:33:03.123Z");
  const core = new HarborCore({
    username: "admin",
    now: clock.now,
    random: seededRandom(7),
    scanner: { pendingMs: 60_000 },
    ...(fetchImpl ? { webhook: { url: "http://receiver.test/hook" }, fetch: fetchImpl } : {}),
  });
  return { core, clock };
}

describe("swagger conversion", () => {
  it("accepts the scan overviews of Harbor's own webhook samples", () => {
    for (const name of [
      "webhook-scanning-completed-default.json",
      "webhook-scanning-failed-default.json",
      "webhook-scanning-stopped-default.json",
      "zulip-fixture-scanning-completed.json",
    ]) {
      const sample = fixture<WebhookPayload>(name);
      const overview = sample.event_data.resources[0].scan_overview!;
      expectValid("NativeReportSummary", overview[VULN_REPORT_MIME]);
    }
  });

  it("rejects undeclared keys, wrong types and malformed times", () => {
    const validate = schemas.validator("Tag");
    const tag = {
      artifact_id: 1,
      id: 1,
      immutable: false,
      name: "v1",
      pull_time: "0001-01-01T00:00:00.000Z",
      push_time: "2024-03-05T07:33:03.123Z",
      repository_id: 1,
    };
    expect(validate(tag)).toBe(true);
    expect(validate({ ...tag, signed: false })).toBe(false);
    expect(validate({ ...tag, id: "1" })).toBe(false);
    expect(validate({ ...tag, push_time: "2024-03-05 07:33:03" })).toBe(false);
    expect(schemas.validator("Artifact")({ tags: [{ ...tag, name: 3 }] })).toBe(false);
  });
});

describe("artifact JSON against definitions.Artifact", () => {
  it("validates through a push, a scan and its outcomes", () => {
    const { core, clock } = newCore();
    const byDigest = core.pushArtifact({ project: "library", repository: "alpine" });
    expect(byDigest.tags).toBeNull();
    expectArtifactValid(byDigest);

    const tagged = core.pushArtifact({
      project: "shiplog",
      repository: "team/app",
      tags: ["1.4.2", "latest"],
      labels: { "org.opencontainers.image.revision": "9f2c1e7" },
    });
    expect(tagged.repository_name).toBe("shiplog/team/app");
    expect(tagged.tags?.map((t) => t.name).sort()).toEqual(["1.4.2", "latest"]);
    expect(tagged.extra_attrs).toMatchObject({
      config: { Labels: { "org.opencontainers.image.revision": "9f2c1e7" } },
    });
    expect(tagged.push_time).toBe("2024-03-05T07:33:03.123Z");
    expect(tagged.pull_time).toBe("0001-01-01T00:00:00.000Z");
    expectArtifactValid(tagged);

    const selector = { project: "shiplog", repository: "team/app", tag: "latest" };
    core.scan(selector);
    const pending = core.getArtifact(selector);
    expect(pending.scan_overview?.[VULN_REPORT_MIME]).toMatchObject({ scan_status: "Pending" });
    expect(pending.scan_overview?.[VULN_REPORT_MIME]).not.toHaveProperty("summary");
    expectArtifactValid(pending);

    clock.advance(8_000);
    core.completeScan({ ...selector, counts: { critical: 1, high: 4, low: 2 }, fixable: 3 });
    const done = core.getArtifact(selector);
    expect(done.scan_overview?.[VULN_REPORT_MIME]).toMatchObject({
      scan_status: "Success",
      severity: "Critical",
      duration: 8,
      complete_percent: 100,
      summary: { total: 7, fixable: 3, summary: { Critical: 1, High: 4, Low: 2 } },
      scanner: { name: "Trivy", vendor: "Aqua Security" },
    });
    expectArtifactValid(done);

    core.completeScan({ ...selector, fail: true });
    const failed = core.getArtifact(selector);
    expect(failed.scan_overview?.[VULN_REPORT_MIME]).toMatchObject({ scan_status: "Error" });
    expectArtifactValid(failed);

    core.scan(selector);
    core.stopScan(selector);
    expectArtifactValid(core.getArtifact(selector));
  });

  it("honours with_tag=false and the X-Accept-Vulnerabilities key", () => {
    const { core } = newCore();
    core.pushArtifact({ project: "shiplog", repository: "app", tag: "v1" });
    core.completeScan({ project: "shiplog", repository: "app", tag: "v1", counts: {} });
    const record = core.store.resolve("shiplog/app", "v1");
    const json = artifactJson(core.store, core.scanner, record, {
      withTag: false,
      withScanOverview: true,
      overviewMimeType: NATIVE_REPORT_MIME,
    });
    expect(json.tags).toBeNull();
    expect(Object.keys(json.scan_overview ?? {})).toEqual([NATIVE_REPORT_MIME]);
    expect(json.scan_overview?.[NATIVE_REPORT_MIME]).toMatchObject({
      severity: "None",
      summary: { total: 0, fixable: 0, summary: {} },
    });
    expectArtifactValid(json);
  });
});

describe("other definitions", () => {
  it("validates Tag, Repository, Project and Errors", () => {
    const { core } = newCore();
    core.createProject({ name: "shiplog", public: true });
    core.pushArtifact({ project: "shiplog", repository: "team/app", tag: "v1" });
    const repository = core.store.requireRepository("shiplog/team/app");
    const project = core.store.requireProject("shiplog");
    for (const tag of core.store.tagsOf(core.store.resolve(repository.name, "v1").id)) {
      expectValid("Tag", tagJson(tag));
    }
    expectValid("Repository", repositoryJson(core.store, repository));
    expectValid(
      "Project",
      projectJson(core.store, project, { authenticated: true, ownerName: "admin" }),
    );
    expectValid(
      "Project",
      projectJson(core.store, project, { authenticated: false, ownerName: "admin" }),
    );
    expectValid("Errors", notFound("artifact shiplog/team/app:v2 not found").body());
    expectValid(
      "Errors",
      validationFailure(["page_size in query should be less than or equal to 100"]).body(),
    );
  });

  it("validates the scan overview the webhooks carry", async () => {
    const hooks = fakeFetch();
    const { core } = newCore(hooks.fetch);
    core.pushArtifact({ project: "shiplog", repository: "app", tag: "v1" });
    core.completeScan({ project: "shiplog", repository: "app", tag: "v1", counts: { medium: 2 } });
    core.completeScan({ project: "shiplog", repository: "app", tag: "v1", fail: true });
    await core.webhooks.flush();
    const overviews = hooks.requests
      .map((r) => (r.body as WebhookPayload).event_data.resources[0].scan_overview)
      .filter((o) => o !== undefined);
    expect(overviews).toHaveLength(2);
    for (const overview of overviews)
      expectValid("NativeReportSummary", overview[VULN_REPORT_MIME]);
  });
});
