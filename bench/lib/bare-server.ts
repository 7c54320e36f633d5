// Child process: the bare baseline — node:http answering each captured path with the exact
// status, headers and bytes Shiplog sent, from memory, with no database. The captured replies
// arrive as JSON on stdin; prints "listening <port>" once it accepts requests.
import http from "node:http";

type Captured = { status: number; headers: Record<string, string>; body: string };

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const replies = new Map(
  Object.entries(
    JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, Captured>,
  ).map(([path, reply]) => [path, { ...reply, body: Buffer.from(reply.body, "base64") }]),
);

const server = http.createServer((req, res) => {
  if (req.url === "/__cpu") {
    res.end(JSON.stringify(process.cpuUsage()));
    return;
  }
  const reply = replies.get(req.url ?? "");
  if (!reply) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(reply.status, { ...reply.headers, "content-length": reply.body.length });
  res.end(reply.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") process.stdout.write(`listening ${address.port}\n`);
});
