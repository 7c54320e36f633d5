// Webhook payloads against Harbor's published Default-format samples: the same events at the
// same times must give the same JSON, key for key; any event must have the samples' structure.
import { describe, expect, it } from "vitest";
import { HarborCore } from "./core";
import { VULN_REPORT_MIME } from "./scan-summary";
import { fakeClock, fakeFetch, fixture, seededRandom, shapeOf } from "./test-support";
import type { WebhookPayload } from "./types";

function harbor(options: {
  registry: string;
  clock: ReturnType<typeof fakeClock>;
  scannerVersion?: string;
}) {
  const hooks = fakeFetch();
  const core = new HarborCore({
    username: "admin",
    now: options.clock.now,
    random: seededRandom(1),
    webhook: { url: "http://receiver.test/harbor", authHeader: "Bearer hook-secret" },
    scanner: { version: options.scannerVersion ?? "v0.37.2", pendingMs: 60_000 },
    fetch: hooks.fetch,
  });
  core.registry = options.registry;
  const sent = async () => {
    await core.webhooks.flush();
    return hooks.requests.map((r) => r.body as WebhookPayload);
  };
  return { core, hooks, sent };
}

/** The sample with our report_id, which is random. */
function withReportId(sample: WebhookPayload, reportId: string): WebhookPayload {
  const copy = structuredClone(sample);
  copy.event_data.resources[0].scan_overview![VULN_REPORT_MIME].report_id = reportId;
  return copy;
}

const reportIdOf = (payload: WebhookPayload) =>
  payload.event_data.resources[0].scan_overview![VULN_REPORT_MIME].report_id;

describe("webhook payloads reproduce Harbor's samples", () => {
  it("PUSH_ARTIFACT by digest (webhook-push-artifact-default.json)", async () => {
    const sample = fixture<WebhookPayload>("webhook-push-artifact-default.json");
    const clock = fakeClock(1680501893);
    const { core, sent, hooks } = harbor({ registry: "localhost", clock });
    core.pushArtifact({
      project: "harbor",
      repository: "alpine",
      digest: sample.event_data.resources[0].digest,
      pushedBy: "harbor-jobservice",
    });
    const [payload] = await sent();
    expect(JSON.stringify(payload)).toBe(JSON.stringify(sample));
    expect(hooks.requests[0].headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer hook-secret",
    });
  });

  it("PUSH_ARTIFACT with a tag (zulip push_image.json)", async () => {
    const sample = fixture<WebhookPayload>("zulip-fixture-push-image.json");
    const clock = fakeClock(1571334632);
    const { core, sent } = harbor({ registry: "harbor.example.com", clock });
    core.pushArtifact({
      project: "example",
      repository: "test",
      digest: sample.event_data.resources[0].digest,
      tag: "latest",
    });
    const [payload] = await sent();
    expect(payload).toEqual(sample);
  });

  it("DELETE_ARTIFACT (webhook-delete-artifact-default.json)", async () => {
    const sample = fixture<WebhookPayload>("webhook-delete-artifact-default.json");
    const clock = fakeClock(1680501893);
    const { core, sent } = harbor({ registry: "localhost", clock });
    const digest = sample.event_data.resources[0].digest;
    core.pushArtifact({ project: "harbor", repository: "alpine", digest, tag: "3.8" });
    clock.set(sample.occur_at);
    core.deleteArtifact({
      project: "harbor",
      repository: "alpine",
      digest,
      operator: "harbor-jobservice",
    });
    const [, payload] = await sent();
    expect(JSON.stringify(payload)).toBe(JSON.stringify(sample));
  });

  it("SCANNING_COMPLETED after scan-on-push (webhook-scanning-completed-default.json)", async () => {
    const sample = fixture<WebhookPayload>("webhook-scanning-completed-default.json");
    const clock = fakeClock("2023-04-03T06:12:47Z");
    const { core, sent } = harbor({ registry: "localhost", clock });
    core.createProject({ name: "harbor", autoScan: true });
    const digest = sample.event_data.resources[0].digest;
    core.pushArtifact({ project: "harbor", repository: "alpine", digest });
    clock.set("2023-04-03T06:12:55Z");
    core.completeScan({ project: "harbor", repository: "alpine", digest, counts: {} });
    const [, payload] = await sent();
    expect(JSON.stringify(payload)).toBe(JSON.stringify(withReportId(sample, reportIdOf(payload))));
  });

  it("SCANNING_COMPLETED with findings and a tag (zulip scanning_completed.json)", async () => {
    const sample = fixture<WebhookPayload>("zulip-fixture-scanning-completed.json");
    const clock = fakeClock("2022-03-31T08:32:53Z");
    const { core, sent } = harbor({
      registry: "harbor.xxx.xxxx.com",
      clock,
      scannerVersion: "v0.20.1",
    });
    core.createProject({ name: "test", autoScan: true });
    const digest = sample.event_data.resources[0].digest;
    core.pushArtifact({ project: "test", repository: "alpine/helm", digest, tag: "3.8.1" });
    clock.set("2022-03-31T08:32:56Z");
    core.completeScan({
      project: "test",
      repository: "alpine/helm",
      digest,
      counts: { high: 4, unknown: 1 },
      fixable: 5,
    });
    const [, payload] = await sent();
    expect(JSON.stringify(payload)).toBe(JSON.stringify(withReportId(sample, reportIdOf(payload))));
  });

  it("SCANNING_FAILED (webhook-scanning-failed-default.json)", async () => {
    const sample = fixture<WebhookPayload>("webhook-scanning-failed-default.json");
    const clock = fakeClock("2023-04-03T07:11:15Z");
    const { core, sent } = harbor({ registry: "localhost", clock });
    core.createProject({ name: "harbor", autoScan: true });
    const digest = sample.event_data.resources[0].digest;
    core.pushArtifact({ project: "harbor", repository: "alpine", digest });
    clock.set("2023-04-03T07:11:25Z");
    core.completeScan({ project: "harbor", repository: "alpine", digest, fail: true });
    const [, payload] = await sent();
    expect(JSON.stringify(payload)).toBe(JSON.stringify(withReportId(sample, reportIdOf(payload))));
  });

  it("SCANNING_STOPPED (webhook-scanning-stopped-default.json)", async () => {
    const sample = fixture<WebhookPayload>("webhook-scanning-stopped-default.json");
    const clock = fakeClock("2023-04-03T06:12:09Z");
    const { core, sent } = harbor({ registry: "localhost", clock });
    core.createProject({ name: "harbor", autoScan: true });
    const digest = sample.event_data.resources[0].digest;
    core.pushArtifact({ project: "harbor", repository: "alpine", digest });
    clock.set("2023-04-03T06:12:14Z");
    core.stopScan({ project: "harbor", repository: "alpine", digest });
    const [, payload] = await sent();
    expect(JSON.stringify(payload)).toBe(JSON.stringify(withReportId(sample, reportIdOf(payload))));
  });
});

describe("webhook payload structure", () => {
  it("has exactly the samples' keys for every event the simulator sends", async () => {
    const clock = fakeClock("2024-06-01T12:00:00Z");
    const { core, sent } = harbor({ registry: "harbor.shiplog.test", clock });
    const app = { project: "shiplog", repository: "team/web" };
    const pushed = core.pushArtifact({ ...app });
    const tagged = core.pushArtifact({ ...app, tag: "2.0.1" });
    core.scan({ ...app, digest: pushed.digest });
    core.completeScan({ ...app, digest: pushed.digest, counts: { critical: 2, medium: 1 } });
    core.scan({ ...app, tag: "2.0.1" });
    core.completeScan({ ...app, tag: "2.0.1", counts: { high: 1 }, fixable: 1 });
    core.completeScan({ ...app, digest: pushed.digest, fail: true });
    core.scan({ ...app, digest: tagged.digest });
    core.stopScan({ ...app, digest: tagged.digest });
    core.deleteArtifact({ ...app, tag: "2.0.1" });
    const payloads = await sent();
    expect(payloads.map((p) => p.type)).toEqual([
      "PUSH_ARTIFACT",
      "PUSH_ARTIFACT",
      "SCANNING_COMPLETED",
      "SCANNING_COMPLETED",
      "SCANNING_FAILED",
      "SCANNING_STOPPED",
      "DELETE_ARTIFACT",
    ]);
    const shape = (name: string) => shapeOf(fixture(name));
    const [pushByDigest, pushByTag, scanByDigest, scanByTag, failed, stopped, deleted] = payloads;
    expect(shapeOf(pushByDigest)).toEqual(shape("webhook-push-artifact-default.json"));
    expect(shapeOf(pushByTag)).toEqual(shape("zulip-fixture-push-image.json"));
    expect(shapeOf(scanByDigest)).toEqual(shape("webhook-scanning-completed-default.json"));
    expect(shapeOf(scanByTag)).toEqual(shape("zulip-fixture-scanning-completed.json"));
    expect(shapeOf(failed)).toEqual(shape("webhook-scanning-failed-default.json"));
    expect(shapeOf(stopped)).toEqual(shape("webhook-scanning-stopped-default.json"));
    expect(shapeOf(deleted)).toEqual(shape("webhook-delete-artifact-default.json"));

    expect(pushByDigest.event_data.resources[0]).toEqual({
      digest: pushed.digest,
      tag: pushed.digest,
      resource_url: `harbor.shiplog.test/shiplog/team/web@${pushed.digest}`,
    });
    expect(pushByTag.event_data.resources[0].resource_url).toBe(
      `harbor.shiplog.test/shiplog/team/web:2.0.1`,
    );
    expect(pushByTag.event_data.repository).toEqual({
      date_created: Date.parse("2024-06-01T12:00:00Z") / 1000,
      name: "team/web",
      namespace: "shiplog",
      repo_full_name: "shiplog/team/web",
      repo_type: "private",
    });
    expect(scanByTag.event_data.resources[0].scan_overview?.[VULN_REPORT_MIME]).toMatchObject({
      scan_status: "Success",
      severity: "High",
      summary: { total: 1, fixable: 1, summary: { High: 1 } },
    });
    expect(Number.isInteger(scanByTag.occur_at)).toBe(true);
  });
});
