import { describe, expect, it } from "vitest";
import { normalizeHarborWebhook } from "./harbor";
import type { NormalizeResult } from "./result";
import { loadJson, type Obj, one } from "@/test/reference-fixtures";
import type { ImageDetails, Observation, ScanDetails } from "./types";

const ALPINE = "sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4";
const DELETED = "sha256:2bb501e6173d9d006e56de5bce2720eb06396803300fe1687b58a7ff32bf4c14";
const FAILED = "sha256:dabea2944dcc2b86482b4f0b0fb62da80e0673e900c46c0e03b45919881a5d84";
const STOPPED = "sha256:e802987f152d7826cf929ad4999fb3bb956ce7a30966aeb46c749f9120eaf22c";
const HELM = "sha256:b50334049354ed01330403212605dce2f4676a4e787ed113506861d9cf3c5424";

const scan = (o: Observation) => o.details as ScanDetails;
const image = (o: Observation) => o.details as ImageDetails;
const hook = (name: string) => loadJson(`harbor/${name}.json`);

describe("Harbor webhooks: artifacts", () => {
  it("PUSH_ARTIFACT by digest (real docs body): image in the registry, no tag", () => {
    const o = one(normalizeHarborWebhook(hook("webhook-push-artifact-default")));
    expect(o).toMatchObject({
      key: `harbor:Artifact:harbor/alpine@${ALPINE}`,
      system: "harbor",
      kind: "Artifact",
      namespace: "harbor",
      name: `harbor/alpine@${ALPINE}`,
      repository: "harbor/alpine",
      stage: "image",
      status: "succeeded",
      startedAt: "2023-04-03T06:04:53.000Z",
      finishedAt: "2023-04-03T06:04:53.000Z",
      digests: [ALPINE],
      imageRefs: [
        { registry: "localhost", repository: "harbor/alpine", tag: null, digest: ALPINE },
      ],
      appHints: ["alpine"],
    });
    expect(image(o)).toEqual({
      type: "image",
      repository: "harbor/alpine",
      digest: ALPINE,
      tags: [],
      pushedAt: "2023-04-03T06:04:53.000Z",
      signed: null,
      deleted: false,
      operator: "harbor-jobservice",
    });
  });

  it("PUSH_ARTIFACT with a tag (zulip fixture): the tag and registry are kept", () => {
    const o = one(normalizeHarborWebhook(hook("zulip-fixture-push-image")));
    expect(image(o).tags).toEqual(["latest"]);
    expect(o.imageRefs).toEqual([
      {
        registry: "harbor.example.com",
        repository: "example/test",
        tag: "latest",
        digest: "sha256:d72f37f783ed6a8d58ac70b4db052707d1ec9d4ea010ef5ccd84652faf9ed844",
      },
    ]);
    expect(image(o).operator).toBe("admin");
  });

  it("DELETE_ARTIFACT in both formats: the same image, marked deleted", () => {
    const d = one(normalizeHarborWebhook(hook("webhook-delete-artifact-default")));
    const c = one(normalizeHarborWebhook(hook("webhook-delete-artifact-cloudevents")));
    expect(d).toEqual(c);
    expect(d).toMatchObject({
      status: "succeeded",
      reason: "deleted",
      digests: [DELETED],
      startedAt: null,
    });
    expect(image(d)).toMatchObject({ deleted: true, tags: ["3.8"], pushedAt: null });
  });

  it("PULL_ARTIFACT is valid but ignored", () => {
    const r = normalizeHarborWebhook(hook("webhook-pull-artifact-default"));
    expect(r).toEqual({
      ok: true,
      observations: [],
      ignored: "Harbor event PULL_ARTIFACT feeds no stage",
    });
  });

  it("other events (quota, replication, CloudEvents kinds we do not use) are ignored", () => {
    for (const body of [
      { type: "QUOTA_EXCEED", occur_at: 1, event_data: { custom_attributes: {} } },
      { specversion: "1.0", id: "x", type: "harbor.replication.status.changed", data: {} },
    ]) {
      const r = normalizeHarborWebhook(body);
      expect(r.ok && r.observations.length === 0 && r.ignored !== null).toBe(true);
    }
  });
});

describe("Harbor webhooks: scans", () => {
  it("SCANNING_COMPLETED, Default and CloudEvents give the same scan observation", () => {
    const d = one(normalizeHarborWebhook(hook("webhook-scanning-completed-default")));
    const c = one(normalizeHarborWebhook(hook("webhook-scanning-completed-cloudevents")));
    expect(c).toEqual(d);
    expect(d).toMatchObject({
      key: `harbor:Scan:harbor/alpine@${ALPINE}`,
      kind: "Scan",
      stage: "scan",
      status: "succeeded",
      reason: "Success",
      startedAt: "2023-04-03T06:12:47.000Z",
      finishedAt: "2023-04-03T06:12:55.000Z",
      digests: [ALPINE],
    });
    expect(scan(d)).toEqual({
      type: "scan",
      repository: "harbor/alpine",
      digest: ALPINE,
      scanner: { name: "Trivy", vendor: "Aqua Security", version: "v0.37.2" },
      severity: "none",
      counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
      total: 0,
      fixable: 0,
      reportId: "af0546c1-67dc-4e9d-927e-372900ead0df",
      completePercent: 100,
    });
  });

  it("findings stay in details: a High scan is still succeeded (zulip fixture, repo with '/')", () => {
    const o = one(normalizeHarborWebhook(hook("zulip-fixture-scanning-completed")));
    expect(o).toMatchObject({
      status: "succeeded",
      repository: "test/alpine/helm",
      namespace: "test",
      name: `test/alpine/helm@${HELM}`,
      appHints: ["helm"],
      imageRefs: [
        {
          registry: "harbor.xxx.xxxx.com",
          repository: "test/alpine/helm",
          tag: "3.8.1",
          digest: HELM,
        },
      ],
    });
    expect(scan(o)).toMatchObject({
      severity: "high",
      counts: { critical: 0, high: 4, medium: 0, low: 0, unknown: 1 },
      total: 5,
      fixable: 5,
    });
  });

  it("SCANNING_FAILED (both formats): failed, no counts", () => {
    for (const name of ["webhook-scanning-failed-default", "webhook-scanning-failed-cloudevents"]) {
      const o = one(normalizeHarborWebhook(hook(name)));
      expect(o).toMatchObject({
        status: "failed",
        reason: "Error",
        digests: [FAILED],
        finishedAt: "2023-04-03T07:11:25.000Z",
      });
      expect(scan(o)).toMatchObject({
        scanner: null,
        severity: null,
        counts: null,
        total: null,
        completePercent: 0,
      });
    }
  });

  it("SCANNING_STOPPED (both formats): cancelled", () => {
    for (const name of [
      "webhook-scanning-stopped-default",
      "webhook-scanning-stopped-cloudevents",
    ]) {
      const o = one(normalizeHarborWebhook(hook(name)));
      expect(o).toMatchObject({
        status: "cancelled",
        reason: "Stopped",
        digests: [STOPPED],
        finishedAt: "2023-04-03T06:12:14.000Z",
      });
    }
  });

  it("an old SCANNING_FAILED without scan_overview (zulip fixture): failed at the event time", () => {
    const o = one(normalizeHarborWebhook(hook("zulip-fixture-scanning-failed")));
    expect(o).toMatchObject({
      status: "failed",
      reason: null,
      repository: "library/redis",
      startedAt: null,
      finishedAt: "2019-10-17T17:56:19.000Z",
    });
    expect(scan(o).counts).toBeNull();
  });

  for (const [scanStatus, status] of [
    ["Pending", "pending"],
    ["Scheduled", "pending"],
    ["Running", "running"],
    ["Success", "succeeded"],
    ["Error", "failed"],
    ["Stopped", "cancelled"],
    ["Paused", "unknown"],
  ] as const) {
    it(`scan_status ${scanStatus} → ${status}`, () => {
      const body = hook("webhook-scanning-completed-default");
      body.event_data.resources[0].scan_overview[
        "application/vnd.security.vulnerability.report; version=1.1"
      ].scan_status = scanStatus;
      const o = one(normalizeHarborWebhook(body));
      expect(o.status).toBe(status);
      const final = ["succeeded", "failed", "cancelled"].includes(status);
      expect(o.finishedAt).toBe(final ? "2023-04-03T06:12:55.000Z" : null);
    });
  }

  it("ignores unknown fields, and SBOM entries in scan_overview", () => {
    const base = one(normalizeHarborWebhook(hook("webhook-scanning-completed-default")));
    const body = hook("webhook-scanning-completed-default");
    body.new_top_level = true;
    body.event_data.resources[0].scan_overview[
      "application/vnd.security.sbom.report+json; version=1.0"
    ] = { sbom_digest: "x", scan_status: "Error" };
    body.event_data.repository.extra = { a: 1 };
    expect(one(normalizeHarborWebhook(body))).toEqual(base);
  });
});

describe("Harbor webhooks: malformed bodies", () => {
  const issues = (r: NormalizeResult) =>
    r.ok ? null : { code: r.error.code, issues: r.error.issues };

  it("missing resources", () => {
    const body = hook("webhook-push-artifact-default");
    delete body.event_data.resources;
    expect(issues(normalizeHarborWebhook(body))).toEqual({
      code: "invalid-payload",
      issues: ["event_data.resources: Invalid input: expected array, received undefined"],
    });
  });

  it("a digest that is not sha256 (CloudEvents body)", () => {
    const body: Obj = hook("webhook-delete-artifact-cloudevents");
    body.data.resources[0].digest = "sha256:12345abcdef67890";
    const r = normalizeHarborWebhook(body);
    expect(issues(r)).toEqual({
      code: "invalid-payload",
      issues: ["data.resources.0.digest: expected a sha256:<64 hex> digest"],
    });
    expect(r.ok ? "" : r.error.message).toBe(
      "Harbor DELETE_ARTIFACT body is malformed: data.resources.0.digest: expected a sha256:<64 hex> digest",
    );
  });

  it("not a webhook body at all", () => {
    for (const body of [null, "PUSH_ARTIFACT", [], { hello: "world" }]) {
      const r = normalizeHarborWebhook(body);
      expect(
        r.ok
          ? null
          : [r.error.code, r.error.system, r.error.message.startsWith("not a Harbor webhook body")],
      ).toEqual(["invalid-payload", "harbor", true]);
    }
  });
});
