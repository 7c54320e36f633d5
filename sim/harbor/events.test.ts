import { describe, expect, it } from "vitest";
import { HarborCore } from "./core";
import type { Logger, WebhookPayload } from "./types";
import { fakeClock, seededRandom } from "./test-support";

function core(onEvent: (p: WebhookPayload) => void, logger: Logger = () => {}) {
  const clock = fakeClock("2026-11-25T10:00:00Z");
  return new HarborCore({
    username: "admin",
    now: clock.now,
    random: seededRandom(),
    onEvent,
    logger,
  });
}

describe("onEvent", () => {
  it("hands every event to the in-process subscriber, with or without a webhook target", () => {
    const seen: WebhookPayload[] = [];
    const harbor = core((p) => seen.push(p));
    const digest = "sha256:" + "ab".repeat(32);
    harbor.pushArtifact({
      project: "shop",
      repository: "payments",
      digest,
      tags: ["b1", "latest"],
    });
    harbor.completeScan({ project: "shop", repository: "payments", digest, counts: { high: 1 } });
    expect(seen.map((p) => p.type)).toEqual(["PUSH_ARTIFACT", "SCANNING_COMPLETED"]);
    expect(seen[0].event_data.resources[0]).toMatchObject({
      digest,
      tag: "b1",
      resource_url: "localhost/shop/payments:b1",
    });
    expect(harbor.webhooks.log).toEqual([]); // no policy target: nothing sent
  });

  it("logs a subscriber that throws and carries on", () => {
    const logged: unknown[] = [];
    const harbor = core(
      () => {
        throw new Error("boom");
      },
      (e) => void logged.push(e),
    );
    const a = harbor.pushArtifact({ project: "shop", repository: "payments", tag: "1.0" });
    expect(a.digest).toMatch(/^sha256:/);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: "error", msg: "event subscriber failed" }),
    );
  });
});
