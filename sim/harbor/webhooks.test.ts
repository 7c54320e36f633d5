// Webhook delivery: retries on non-2xx up to MaxFails attempts, survives an unreachable
// receiver, records every attempt, and never throws at the simulator.
import { describe, expect, it } from "vitest";
import { fakeFetch } from "./test-support";
import type { LogEntry, WebhookPayload } from "./types";
import { WebhookSender } from "./webhooks";

const payload = (type: WebhookPayload["type"] = "PUSH_ARTIFACT"): WebhookPayload => ({
  type,
  occur_at: 1717243200,
  operator: "admin",
  event_data: {
    resources: [{ digest: "sha256:00", tag: "v1", resource_url: "harbor.test/p/app:v1" }],
    repository: { name: "app", namespace: "p", repo_full_name: "p/app", repo_type: "private" },
  },
});

function sender(
  statuses: Array<number | "down">,
  target: Partial<ConstructorParameters<typeof WebhookSender>[0]> = {},
) {
  const hooks = fakeFetch(statuses);
  const logs: LogEntry[] = [];
  const webhooks = new WebhookSender(
    {
      url: "http://receiver.test/hook",
      authHeader: "Basic c2hpcGxvZzpzZWNyZXQ=",
      backoffMs: 1,
      ...target,
    },
    {
      now: () => new Date("2024-06-01T12:00:00Z"),
      fetch: hooks.fetch,
      logger: (e) => logs.push(e),
    },
  );
  return { webhooks, hooks, logs };
}

describe("webhook delivery", () => {
  it("retries a 500 and records each attempt", async () => {
    const { webhooks, hooks } = sender([500, 503, 200]);
    const delivery = webhooks.send(payload())!;
    await webhooks.flush();
    expect(hooks.requests).toHaveLength(3);
    expect(delivery.state).toBe("delivered");
    expect(delivery.statusCode).toBe(200);
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 503, 200]);
    expect(delivery.attempts[0].error).toBe("abnormal response code: 500, body: boom");
    for (const request of hooks.requests) {
      expect(request.headers.authorization).toBe("Basic c2hpcGxvZzpzZWNyZXQ=");
      expect(request.body).toEqual(payload());
    }
  });

  it("gives up after MaxFails (3) attempts by default, or as configured", async () => {
    const three = sender([500]);
    const delivery = three.webhooks.send(payload())!;
    await three.webhooks.flush();
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts).toHaveLength(3);
    expect(three.logs.some((l) => l.level === "error" && l.msg === "webhook given up")).toBe(true);

    const five = sender([500], { maxAttempts: 5 });
    five.webhooks.send(payload());
    await five.webhooks.flush();
    expect(five.hooks.requests).toHaveLength(5);
  });

  it("survives a receiver that is down, and keeps delivering later events", async () => {
    const { webhooks } = sender(["down", "down", "down", 200]);
    const lost = webhooks.send(payload("PUSH_ARTIFACT"))!;
    const next = webhooks.send(payload("SCANNING_COMPLETED"))!;
    await expect(webhooks.flush()).resolves.toBeUndefined();
    expect(lost.state).toBe("failed");
    expect(lost.statusCode).toBeNull();
    expect(lost.attempts.map((a) => a.error)).toEqual([
      "ECONNREFUSED",
      "ECONNREFUSED",
      "ECONNREFUSED",
    ]);
    expect(next.state).toBe("delivered");
    expect(webhooks.log.map((d) => d.id)).toEqual([1, 2]);
  });

  it("sends only the subscribed event types, and nothing without a target", async () => {
    const { webhooks, hooks } = sender([200], { eventTypes: ["SCANNING_COMPLETED"] });
    expect(webhooks.send(payload("PUSH_ARTIFACT"))).toBeNull();
    webhooks.send(payload("SCANNING_COMPLETED"));
    await webhooks.flush();
    expect(hooks.requests.map((r) => (r.body as WebhookPayload).type)).toEqual([
      "SCANNING_COMPLETED",
    ]);

    const none = new WebhookSender(undefined, { now: () => new Date() });
    expect(none.send(payload())).toBeNull();
    expect(none.log).toEqual([]);
  });

  it("stops retrying when closed", async () => {
    const { webhooks } = sender([500], { backoffMs: 60_000 });
    const delivery = webhooks.send(payload())!;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await webhooks.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts).toHaveLength(1);
    expect(webhooks.send(payload())).toBeNull();
  });
});
