import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config";
import { gateNotifier, gateText } from "./notify";
import type { Gate } from "./store";

const gate: Gate = {
  id: "g1",
  app: "payments",
  sha: "9e820cad0f3a4b5c6d7e8f901234567890abcdef",
  environment: "production",
  status: "pending",
  message: "Promote payments to production",
  minApprovals: 1,
  approvers: ["alice", "group:release-managers"],
  decisions: [],
  createdAt: "2026-11-25T10:00:00.000Z",
  expiresAt: null,
  decidedAt: null,
  kind: "Approval",
  cluster: "production",
  authorMayDecide: false,
  resource: { system: "tekton", kind: "CustomRun", namespace: "ci", name: "x", uid: "u" },
};

let server: http.Server;
let url: string;
const received: { body: string; type: string | undefined }[] = [];
let status = 200;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ body, type: req.headers["content-type"] });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe("gate notifications", () => {
  it("says what waits, where and for whom", () => {
    expect(gateText(gate)).toBe(
      "Approval needed for payments 9e820ca to production: Promote payments to production (approvers: alice, group:release-managers; 1 needed)",
    );
  });

  it("posts a Slack-compatible { text } and logs a refusal without throwing", async () => {
    const warnings: string[] = [];
    const notify = gateNotifier(url, { warn: (_f, m) => warnings.push(m) })!;
    notify(gate);
    await until(() => received.length === 1);
    expect(received[0]).toEqual({
      body: JSON.stringify({ text: gateText(gate) }),
      type: "application/json",
    });
    status = 500;
    notify(gate);
    await until(() => warnings.length === 1);
    expect(warnings).toEqual(["gate webhook refused the notification"]);
  });

  it("logs an unreachable webhook; nothing at all without a URL", async () => {
    const warnings: string[] = [];
    gateNotifier("http://127.0.0.1:1/hook", { warn: (_f, m) => warnings.push(m) })!(gate);
    await until(() => warnings.length === 1);
    expect(warnings).toEqual(["gate webhook failed"]);
    expect(gateNotifier(undefined, { warn: () => {} })).toBeUndefined();
  });

  it("SHIPLOG_GATE_WEBHOOK_URL is validated once, at start", () => {
    expect(
      loadConfig({ SHIPLOG_GATE_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/X" })
        .gateWebhookUrl,
    ).toBe("https://hooks.slack.com/services/T/B/X");
    expect(loadConfig({}).gateWebhookUrl).toBeUndefined();
    expect(() => loadConfig({ SHIPLOG_GATE_WEBHOOK_URL: "hooks.slack.com" })).toThrow(
      new ConfigError("SHIPLOG_GATE_WEBHOOK_URL", "must be an http:// or https:// URL"),
    );
  });
});
