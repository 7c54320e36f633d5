// The Harbor client over real HTTP: against the simulated Harbor, and against a misbehaving
// server for what the simulator never does (5xx, garbage, silence, foreign links).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarbor, type Harbor } from "@/sim/harbor";
import { NotFound, Upstream } from "../errors";
import { HarborClient } from "./client";

let harbor: Harbor;
let client: HarborClient;
const digests: string[] = [];

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

beforeAll(async () => {
  harbor = await createHarbor({
    registry: "harbor.shiplog.test",
    projects: [{ name: "shiplog" }, { name: "library", public: true }],
  });
  for (const tag of ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]) {
    digests.push(harbor.pushArtifact({ project: "shiplog", repository: "team/app", tag }).digest);
    await new Promise((resolve) => setTimeout(resolve, 2)); // distinct push times, stable order
  }
  harbor.completeScan({
    project: "shiplog",
    repository: "team/app",
    tag: "1.4.0",
    counts: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 },
  });
  harbor.pushArtifact({ project: "library", repository: "alpine", tag: "3.19" });
  client = new HarborClient({ url: harbor.url, username: "admin", password: "Harbor12345" });
});

afterAll(async () => {
  await harbor?.close();
});

describe("against the simulated Harbor", () => {
  it("signs in and learns the registry host", async () => {
    expect(await client.checkCredentials()).toMatchObject({
      signedIn: true,
      registryUrl: "harbor.shiplog.test",
    });
  });

  it("lists projects and repositories by their full names", async () => {
    const projects = await all(client.listProjects());
    expect(projects.map((p) => p.name).sort()).toEqual(["library", "shiplog"]);
    const repositories = await all(client.listRepositories("shiplog"));
    expect(repositories.map((r) => r.name)).toEqual(["shiplog/team/app"]);
  });

  it("lists a nested repository's artifacts with tags and the vulnerability report", async () => {
    const artifacts = await all(client.listArtifacts("shiplog", "team/app"));
    expect(artifacts.map((a) => a.digest)).toEqual([...digests].reverse());
    expect(artifacts[0].tags?.map((t) => t.name)).toEqual(["1.4.0"]);
    expect(Object.keys(artifacts[0].scan_overview ?? {})).toEqual([
      "application/vnd.security.vulnerability.report; version=1.1",
    ]);
    expect(artifacts[1].scan_overview ?? null).toBeNull();
  });

  it("follows the Link header across pages", async () => {
    const artifacts = await all(client.listArtifacts("shiplog", "team/app", { pageSize: 2 }));
    expect(artifacts.map((a) => a.digest)).toEqual([...digests].reverse());
    const fromPage2 = await all(
      client.listArtifacts("shiplog", "team/app", { page: 2, pageSize: 2 }),
    );
    expect(fromPage2).toHaveLength(3);
  });

  it("gets one artifact by tag or digest, and says NotFound for what is not there", async () => {
    const byTag = await client.getArtifact("shiplog", "team/app", "1.1.0");
    expect(byTag.digest).toBe(digests[1]);
    expect((await client.getArtifact("shiplog", "team/app", digests[1])).tags).toEqual(byTag.tags);
    const missing = client.getArtifact("shiplog", "team/app", "9.9.9");
    await expect(missing).rejects.toThrow(NotFound);
    await expect(missing).rejects.toThrow(
      "Harbor: artifact shiplog/team/app:9.9.9 not found (GET /projects/shiplog/repositories/team%252Fapp/artifacts/9.9.9?with_tag=true&with_scan_overview=true)",
    );
  });

  it("says the credentials are wrong instead of quietly seeing public projects only", async () => {
    const wrong = new HarborClient({ url: harbor.url, username: "admin", password: "nope" });
    // Harbor treats bad credentials as anonymous: listing works, and shows the public project only.
    expect((await all(wrong.listProjects())).map((p) => p.name)).toEqual(["library"]);
    const refused = /refused the credentials of "admin".*check HARBOR_USERNAME and HARBOR_PASSWORD/;
    await expect(wrong.checkCredentials()).rejects.toThrow(refused);
    const privateArtifact = wrong.getArtifact("shiplog", "team/app", "1.0.0");
    await expect(privateArtifact).rejects.toThrow(Upstream);
    await expect(privateArtifact).rejects.toThrow(refused);
    const anonymous = new HarborClient({ url: harbor.url });
    expect(await anonymous.checkCredentials()).toMatchObject({ signedIn: false });
    await expect(anonymous.getArtifact("shiplog", "team/app", "1.0.0")).rejects.toThrow(
      /wants credentials/,
    );
  });
});

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A server that answers each path its own odd way. */
async function oddHarbor(routes: Record<string, Route>) {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? "/", "http://x").pathname];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client: new HarborClient({ url, username: "admin", password: "x", timeoutMs: 200 }),
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Route => {
  return (_req, res) =>
    res
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(JSON.stringify(body));
};

describe("against a misbehaving server", () => {
  let odd: Awaited<ReturnType<typeof oddHarbor>>;
  const pages: string[] = [];

  beforeAll(async () => {
    odd = await oddHarbor({
      "/api/v2.0/systeminfo": json(500, { errors: [{ code: "UNKNOWN", message: "db is down" }] }),
      "/api/v2.0/projects/garbage/repositories": json(200, [{ name: 42 }]),
      "/api/v2.0/projects/html/repositories": (_req, res) =>
        res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"),
      "/api/v2.0/projects/silent/repositories": () => {},
      "/api/v2.0/projects/elsewhere/repositories": json(200, [{ name: "elsewhere/a" }], {
        link: '<http://169.254.169.254/latest>; rel="next"',
      }),
      // No Link header (a proxy dropped it): X-Total-Count still pages.
      "/api/v2.0/projects": (req, res) => {
        const page = new URL(req.url ?? "/", "http://x").searchParams.get("page") ?? "1";
        pages.push(page);
        const items = page === "1" ? [1, 2] : page === "2" ? [3] : [];
        json(
          200,
          items.map((id) => ({ project_id: id, name: `p${id}` })),
          { "x-total-count": "3" },
        )(req, res);
      },
    });
  });
  afterAll(async () => {
    await odd?.close();
  });

  it("passes on Harbor's own message for other errors", async () => {
    await expect(odd.client.systemInfo()).rejects.toThrow(
      new Upstream("Harbor answered 500 to GET /systeminfo: db is down"),
    );
  });

  it("fails clearly on a body of the wrong shape, naming the path", async () => {
    await expect(all(odd.client.listRepositories("garbage"))).rejects.toThrow(
      /GET \/projects\/garbage\/repositories\?page=1&page_size=100 with an unexpected body: 0\.name: /,
    );
    await expect(all(odd.client.listRepositories("html"))).rejects.toThrow(
      /not JSON: <html>login<\/html>/,
    );
  });

  it("gives up on a silent server after the timeout", async () => {
    await expect(all(odd.client.listRepositories("silent"))).rejects.toThrow(
      "Harbor did not answer GET /projects/silent/repositories?page=1&page_size=100 within 200 ms",
    );
  });

  it("lets the caller abort without calling it Harbor's failure", async () => {
    const abort = new AbortController();
    const listing = all(odd.client.listRepositories("silent", { signal: abort.signal }));
    abort.abort();
    await expect(listing).rejects.toMatchObject({ name: "AbortError" });
  });

  it("refuses to follow a link to another origin with the credentials", async () => {
    await expect(all(odd.client.listRepositories("elsewhere"))).rejects.toThrow(
      /points away from http:\/\/127\.0\.0\.1/,
    );
  });

  it("pages by X-Total-Count when there is no Link header", async () => {
    expect((await all(odd.client.listProjects({ pageSize: 2 }))).map((p) => p.name)).toEqual([
      "p1",
      "p2",
      "p3",
    ]);
    expect(pages).toEqual(["1", "2"]);
  });

  it("says when Harbor is unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const down = new HarborClient({ url, username: "admin", password: "x" });
    await expect(down.systemInfo()).rejects.toThrow(
      `Harbor at ${url} is unreachable (GET /systeminfo): ECONNREFUSED`,
    );
  });
});
