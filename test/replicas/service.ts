// The Kubernetes Service in front of Shiplog's replicas, for the replicas test: requests go to
// the replicas in turn, and one that refuses the connection (killed, not started yet) is skipped
// for the next, as an endpoint that left the Service would be. Request bodies are small (webhooks,
// sign-in forms) and kept, so that a request can go to another replica whole.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Service = { url: string; close(): Promise<void> };

/** Forwards to each `backends` base URL (http://127.0.0.1:PORT) in turn; 502 when none answers. */
export async function startService(backends: string[]): Promise<Service> {
  let next = 0;
  const forward = (
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
    tried: number,
  ) => {
    if (tried === backends.length) {
      response.writeHead(502, { "content-type": "text/plain" }).end("no replica answers\n");
      return;
    }
    const target = new URL(request.url ?? "/", backends[next++ % backends.length]);
    const upstream = http.request(
      target,
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", (err: NodeJS.ErrnoException) => {
      if (!response.headersSent && (err.code === "ECONNREFUSED" || err.code === "ECONNRESET"))
        forward(request, body, response, tried + 1);
      else response.destroy(err);
    });
    upstream.end(body);
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => forward(request, Buffer.concat(chunks), response, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
