// Child process: the one-query baseline — node:http answering each path with the reply Shiplog
// sent for it, read from Postgres in one round trip (a named prepared statement on a pool of 10,
// as Shiplog's own) from the table `bench_replies` that bench/read.ts fills. It shows what any
// server pays for one database read per request, apart from what Shiplog does beyond that.
// Prints "listening <port>" once it accepts requests; GET /__cpu tells its CPU time.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const READ = "select status, headers, body from bench_replies where path = $1";

type Row = { status: number; headers: Record<string, string>; body: string };

const server = http.createServer((req, res) => {
  if (req.url === "/__cpu") {
    res.end(JSON.stringify(process.cpuUsage()));
    return;
  }
  pool
    .query<Row>({ name: "reply", text: READ, values: [req.url ?? ""] })
    .then(({ rows: [reply] }) => {
      if (!reply) {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.from(reply.body, "utf8");
      res.writeHead(reply.status, { ...reply.headers, "content-length": body.length });
      res.end(body);
    })
    .catch((error: unknown) => res.writeHead(500).end(String(error)));
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") process.stdout.write(`listening ${address.port}\n`);
});
