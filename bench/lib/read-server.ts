// Child process: Shiplog's read API over node:http, answering with the app's own route handlers
// (app/api/v1/commits and app/api/v1/commits/[sha]) on DATABASE_URL. Run under the react-server
// condition, as Next runs route handlers; prints "listening <port>" once it accepts requests.
// GET /__cpu tells its CPU time; /__profile/start and /__profile/stop take a V8 CPU profile.
import http from "node:http";
import { Session } from "node:inspector/promises";
import { GET as listRoute } from "../../app/api/v1/commits/route";
import { GET as timelineRoute } from "../../app/api/v1/commits/[sha]/route";

const TIMELINE = /^\/api\/v1\/commits\/([^/]+)$/;

async function answer(url: URL, headers: Headers): Promise<Response> {
  const request = new Request(url, { method: "GET", headers });
  if (url.pathname === "/api/v1/commits") return listRoute(request, undefined);
  const match = TIMELINE.exec(url.pathname);
  if (match) {
    return timelineRoute(request, {
      params: Promise.resolve({ sha: decodeURIComponent(match[1]) }),
    });
  }
  return Response.json({ error: "not found" }, { status: 404 });
}

let inspector: Session | undefined;

async function control(path: string): Promise<unknown> {
  if (path === "/__cpu") return process.cpuUsage();
  if (!inspector) {
    inspector = new Session();
    inspector.connect();
  }
  if (path === "/__profile/start") {
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.setSamplingInterval", { interval: 500 });
    return inspector.post("Profiler.start");
  }
  return (await inspector.post("Profiler.stop")).profile;
}

const server = http.createServer((req, res) => {
  if (req.url?.startsWith("/__")) {
    control(req.url)
      .then((body) => res.end(JSON.stringify(body ?? {})))
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  answer(new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`), headers)
    .then(async (response) => {
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, {
        ...Object.fromEntries(response.headers),
        "content-length": body.length,
      });
      res.end(body);
    })
    .catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") process.stdout.write(`listening ${address.port}\n`);
});
