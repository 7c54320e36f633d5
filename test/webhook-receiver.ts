// The webhook routes' logic (lib/ingest/webhooks.ts) behind a plain HTTP server on a free port, so
// that a simulator in a test can post Harbor and Git events to it: `…/harbor`, anything else Git.
import http from "node:http";
import { receiveGit, receiveHarbor } from "@/lib/ingest/webhooks";
import type { IngestResult, Incoming } from "@/lib/ingest/store";

export type WebhookReceiver = { server: http.Server; url: string; close(): Promise<void> };

export function startWebhookReceiver(
  secrets: { harbor: string; git: string },
  save: (batch: Incoming[]) => Promise<IngestResult>,
): Promise<WebhookReceiver> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    try {
      const outcome = req.url?.endsWith("/harbor")
        ? await receiveHarbor(request, secrets.harbor, save)
        : await receiveGit(request, secrets.git, save);
      res.writeHead(outcome.status).end(JSON.stringify(outcome.body));
    } catch (error) {
      res.writeHead((error as { status?: number }).status ?? 500).end(String(error));
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}
