// The v1 route handlers called directly with Requests against a fresh database. The database URL
// is set before the routes are imported: config() and db() read it once, on first use. Requests
// carry a viewer's API token (access.int.test.ts covers who may call what).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "@/lib/auth/tokens";
import { createPrismaClient } from "@/lib/db/client";
import { createPool } from "@/lib/db/pool";
import { seedTimeline } from "@/test/seed";
import { SHA } from "@/test/timeline-rows";
import { freshDatabase, type TestDatabase } from "@/test/database";

let database: TestDatabase;
let routes: {
  apps: typeof import("./apps/route");
  commits: typeof import("./commits/route");
  commit: typeof import("./commits/[sha]/route");
  openapi: typeof import("./openapi.json/route");
  db: typeof import("@/lib/db/client").db;
};

let viewerToken = "";
const get = (path: string) =>
  new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${viewerToken}` } });
const params = (sha: string) => ({ params: Promise.resolve({ sha }) });

async function body(res: Response) {
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  database = await freshDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.LOG_LEVEL = "silent";
  process.env.SHIPLOG_CONTEXTS = "staging-eu=staging,prod-eu=production";
  const seeder = createPrismaClient(database.url);
  await seedTimeline(seeder, "payments");
  const ledger = await seeder.app.create({ data: { name: "ledger" } });
  await seeder.commit.createMany({
    data: [
      { appId: ledger.id, sha: `${SHA.slice(0, 7)}${"0".repeat(33)}`, message: "twin prefix" },
      {
        appId: ledger.id,
        sha: "c".repeat(40),
        message: "Ledger v2",
        committedAt: new Date("2024-05-07T09:00:00Z"),
        status: "failed",
      },
    ],
  });
  await seeder.$disconnect();
  const tokenPool = createPool(database.url, 1);
  viewerToken = (await createToken(tokenPool, { name: "reader", role: "viewer", actor: "test" }))
    .token;
  await tokenPool.end();
  routes = {
    apps: await import("./apps/route"),
    commits: await import("./commits/route"),
    commit: await import("./commits/[sha]/route"),
    openapi: await import("./openapi.json/route"),
    db: (await import("@/lib/db/client")).db,
  };
});

afterAll(async () => {
  await routes?.db().$disconnect();
  await database.drop();
});

describe("GET /api/v1/apps", () => {
  it("lists the apps with environments and their newest commit", async () => {
    const res = await routes.apps.GET(get("/api/v1/apps"), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const apps = (await res.json()) as { name: string; environments: string[]; latest: unknown }[];
    expect(apps.map((a) => [a.name, a.environments])).toEqual([
      ["ledger", []],
      ["payments", ["staging"]],
    ]);
    expect(apps[0].latest).toMatchObject({ sha: "c".repeat(40), status: "failed" });
    expect(apps[1].latest).toMatchObject({ sha: SHA, shortSha: "da15608", status: "waiting" });
  });

  it("400s an unknown parameter", async () => {
    expect(await body(await routes.apps.GET(get("/api/v1/apps?page=2"), undefined))).toEqual({
      status: 400,
      json: { error: "unknown query parameter page" },
    });
  });
});

describe("GET /api/v1/commits", () => {
  it("pages newest first with an opaque cursor", async () => {
    const first = await body(await routes.commits.GET(get("/api/v1/commits?limit=1"), undefined));
    expect(first.status).toBe(200);
    expect((first.json.items as { sha: string }[]).map((c) => c.sha)).toEqual(["c".repeat(40)]);
    const cursor = first.json.nextCursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await body(
      await routes.commits.GET(get(`/api/v1/commits?limit=2&cursor=${cursor}`), undefined),
    );
    expect(second.json).toMatchObject({
      items: [
        { app: "payments", sha: SHA },
        { app: "ledger", message: "twin prefix" },
      ],
      nextCursor: null,
    });
  });

  it("filters by app, status and q; empty parameters are ignored", async () => {
    const res = await routes.commits.GET(
      get("/api/v1/commits?app=payments&status=waiting&q=CURRENCY&branch=&cursor="),
      undefined,
    );
    expect(await res.json()).toEqual({
      items: [
        {
          app: "payments",
          sha: SHA,
          shortSha: "da15608",
          branch: "main",
          author: "Dana Scully",
          message: "Charge in the customer's currency\n\nCloses #42",
          committedAt: "2024-05-06T10:10:00.000Z",
          status: "waiting",
          stages: {},
        },
      ],
      nextCursor: null,
    });
  });

  it("filters by author (name or email, any case) and by deploy environment", async () => {
    const shas = async (query: string) =>
      (
        (await body(await routes.commits.GET(get(`/api/v1/commits?${query}`), undefined))).json
          .items as { sha: string }[]
      ).map((c) => c.sha);
    expect(await shas("author=dana%20SCULLY")).toEqual([SHA]);
    expect(await shas("author=Dana")).toEqual([]);
    // The seeded commit's stored stages are empty: it has deployed nowhere as far as the list knows.
    expect(await shas("environment=staging")).toEqual([]);
  });

  it("400s bad parameters with a message naming them", async () => {
    const cases: [string, string][] = [
      ["limit=0", "limit: must be a whole number from 1 to 200"],
      ["limit=500", "limit: must be a whole number from 1 to 200"],
      ["limit=ten", "limit: must be a whole number from 1 to 200"],
      [
        "status=green",
        "status: must be one of pending, running, waiting, succeeded, failed, cancelled, skipped, unknown",
      ],
      ["cursor=bm9wZQ", "cursor is not one this server handed out"],
      ["sort=asc", "unknown query parameter sort"],
      [`author=${"a".repeat(321)}`, "author: must be at most 320 characters"],
      ["app=a&app=b", "query parameter app is given more than once"],
    ];
    for (const [query, error] of cases) {
      const res = await routes.commits.GET(get(`/api/v1/commits?${query}`), undefined);
      expect(await body(res), query).toEqual({ status: 400, json: { error } });
    }
  });
});

describe("GET /api/v1/commits/{sha}", () => {
  it("answers the timeline for a full SHA", async () => {
    const res = await routes.commit.GET(get(`/api/v1/commits/${SHA}`), params(SHA));
    expect(res.status).toBe(200);
    const t = (await res.json()) as { status: string; stages: { stage: string }[] };
    expect(t.status).toBe("waiting");
    expect(t.stages.map((s) => s.stage)).toEqual([
      "source",
      "build",
      "build",
      "image",
      "scan",
      "pipeline",
      "approval",
      "deploy",
      "verify",
    ]);
  });

  it("needs ?app= for a prefix two apps share, and then answers", async () => {
    expect(
      await body(await routes.commit.GET(get("/api/v1/commits/da15608"), params("da15608"))),
    ).toEqual({
      status: 400,
      json: {
        error: "commit da15608 matches commits of several apps (ledger, payments): add ?app=",
      },
    });
    const res = await routes.commit.GET(
      get("/api/v1/commits/da15608?app=payments"),
      params("da15608"),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sha: string }).sha).toBe(SHA);
  });

  it("404s an unknown commit and 400s what is not a SHA", async () => {
    expect(
      await body(await routes.commit.GET(get("/api/v1/commits/abcdef0"), params("abcdef0"))),
    ).toEqual({ status: 404, json: { error: "no commit abcdef0" } });
    expect(
      await body(await routes.commit.GET(get("/api/v1/commits/main"), params("main"))),
    ).toEqual({
      status: 400,
      json: { error: "sha must be 7 to 64 hexadecimal characters" },
    });
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("serves the OpenAPI 3.1 document", async () => {
    const res = await routes.openapi.GET(get("/api/v1/openapi.json"), undefined);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(res.status).toBe(200);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/commits/{sha}");
  });
});
