// Webhooks over real HTTP: a receiver gets Default-format payloads with the configured
// Authorization header; a failing receiver gets retries; a missing one never hurts the simulator.
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Harbor, createHarbor } from "./index";
import { fixture, shapeOf, waitFor } from "./test-support";
import type { WebhookPayload } from "./types";

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  payload: WebhookPayload;
}

/** A webhook receiver answering each request with the next status (the last one repeats). */
async function receiver(statuses: number[] = [200]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({
        method: req.method!,
        path: req.url!,
        headers: req.headers,
        payload: JSON.parse(body),
      });
      res.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)]).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/harbor`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A URL nothing listens on. */
async function deadUrl(): Promise<string> {
  const { url, close } = await receiver();
  await close();
  return url;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(options: Parameters<typeof createHarbor>[0]): Promise<Harbor> {
  const harbor = await createHarbor(options);
  cleanups.push(() => harbor.close());
  return harbor;
}

describe("webhooks", () => {
  it("delivers push, scan and delete events with the Authorization header verbatim", async () => {
    const hook = await receiver();
    cleanups.push(hook.close);
    const harbor = await start({
      registry: "harbor.shiplog.test",
      webhook: { url: hook.url, authHeader: "Bearer 5hipl0g-webhook-secret" },
      scanner: {
        pendingMs: 5,
        autoComplete: () => ({ afterMs: 20, counts: { high: 2, medium: 1 }, fixable: 1 }),
      },
      projects: [{ name: "shiplog" }],
    });
    const artifact = harbor.pushArtifact({
      project: "shiplog",
      repository: "team/app",
      tag: "1.0.0",
      pushedBy: "robot$shiplog+kpack",
    });
    const scan = await fetch(
      `${harbor.apiUrl}/projects/shiplog/repositories/team%252Fapp/artifacts/1.0.0/scan`,
      {
        method: "POST",
        headers: { Authorization: `Basic ${Buffer.from("admin:Harbor12345").toString("base64")}` },
      },
    );
    expect(scan.status).toBe(202);
    await waitFor(() => harbor.webhookLog.some((d) => d.type === "SCANNING_COMPLETED"));
    harbor.deleteArtifact({ project: "shiplog", repository: "team/app", digest: artifact.digest });
    await harbor.flushWebhooks();

    expect(hook.received.map((r) => r.payload.type)).toEqual([
      "PUSH_ARTIFACT",
      "SCANNING_COMPLETED",
      "DELETE_ARTIFACT",
    ]);
    for (const request of hook.received) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/api/webhooks/harbor");
      expect(request.headers.authorization).toBe("Bearer 5hipl0g-webhook-secret");
      expect(request.headers["content-type"]).toBe("application/json");
    }
    const [push, scanned, deleted] = hook.received.map((r) => r.payload);
    expect(shapeOf(push)).toEqual(shapeOf(fixture("zulip-fixture-push-image.json")));
    expect(shapeOf(scanned)).toEqual(shapeOf(fixture("zulip-fixture-scanning-completed.json")));
    expect(shapeOf(deleted)).toEqual(shapeOf(fixture("webhook-delete-artifact-default.json")));
    expect(push).toMatchObject({
      operator: "robot$shiplog+kpack",
      event_data: {
        resources: [
          {
            digest: artifact.digest,
            tag: "1.0.0",
            resource_url: "harbor.shiplog.test/shiplog/team/app:1.0.0",
          },
        ],
      },
    });
    expect(scanned.operator).toBe("admin");
    expect(scanned.event_data.resources[0]).toMatchObject({
      tag: "1.0.0",
      scan_overview: {
        "application/vnd.security.vulnerability.report; version=1.1": {
          scan_status: "Success",
          severity: "High",
          summary: { total: 3, fixable: 1, summary: { High: 2, Medium: 1 } },
        },
      },
    });
    expect(
      harbor.webhookLog.map((d) => [d.type, d.state, d.statusCode, d.attempts.length]),
    ).toEqual([
      ["PUSH_ARTIFACT", "delivered", 200, 1],
      ["SCANNING_COMPLETED", "delivered", 200, 1],
      ["DELETE_ARTIFACT", "delivered", 200, 1],
    ]);
  });

  it("retries when the receiver answers 500", async () => {
    const hook = await receiver([500, 500, 204]);
    cleanups.push(hook.close);
    const harbor = await start({
      webhook: { url: hook.url, authHeader: "Bearer x", backoffMs: 10 },
    });
    harbor.pushArtifact({ project: "shiplog", repository: "app", tag: "v1" });
    await harbor.flushWebhooks();
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => JSON.stringify(r.payload))).size).toBe(1);
    expect(harbor.webhookLog[0]).toMatchObject({ state: "delivered", statusCode: 204 });
    expect(harbor.webhookLog[0].attempts.map((a) => a.statusCode)).toEqual([500, 500, 204]);
  });

  it("gives up on a receiver that stays at 500 after three attempts", async () => {
    const hook = await receiver([500]);
    cleanups.push(hook.close);
    const harbor = await start({ webhook: { url: hook.url, backoffMs: 5 } });
    harbor.pushArtifact({ project: "shiplog", repository: "app", tag: "v1" });
    await harbor.flushWebhooks();
    expect(hook.received).toHaveLength(3);
    expect(harbor.webhookLog[0]).toMatchObject({ state: "failed", statusCode: 500 });
  });

  it("keeps working when the receiver is down", async () => {
    const logs: string[] = [];
    const harbor = await start({
      webhook: { url: await deadUrl(), backoffMs: 5 },
      logger: (entry) => logs.push(entry.msg),
    });
    const artifact = harbor.pushArtifact({ project: "shiplog", repository: "app", tag: "v1" });
    harbor.completeScan({
      project: "shiplog",
      repository: "app",
      digest: artifact.digest,
      counts: { low: 1 },
    });
    await harbor.flushWebhooks();
    expect(harbor.webhookLog.map((d) => [d.state, d.statusCode, d.attempts.length])).toEqual([
      ["failed", null, 3],
      ["failed", null, 3],
    ]);
    expect(harbor.webhookLog[0].attempts[0].error).toBe("ECONNREFUSED");
    expect(logs).toContain("webhook given up");
    const auth = `Basic ${Buffer.from("admin:Harbor12345").toString("base64")}`;
    const response = await fetch(
      `${harbor.apiUrl}/projects/shiplog/repositories/app/artifacts/v1?with_scan_overview=true`,
      {
        headers: { Authorization: auth },
      },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).scan_overview).toBeDefined();
  });
});
