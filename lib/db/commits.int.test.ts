import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadInput } from "@/lib/errors";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { schemaErrors } from "@/test/openapi-schema";
import { createPrismaClient } from "./client";
import { listApps, listCommits } from "./commits";
import { createPool } from "./pool";
import { seedTimeline } from "@/test/seed";

let database: TestDatabase;
let client: ReturnType<typeof createPrismaClient>;

const sha = (c: string) => c.repeat(40);
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  database = await freshDatabase();
  client = createPrismaClient(database.url);
  const web = await client.app.create({
    data: { name: "web", repoUrl: "https://git.example.com/shop/web" },
  });
  const api = await client.app.create({ data: { name: "api" } });
  await client.app.create({ data: { name: "empty" } });
  // Newest first: e(11:00) d(10:00, later id) c(10:00) b(09:00, api) a(08:00), then undated f, 9.
  await client.commit.createMany({
    data: [
      {
        appId: web.id,
        sha: sha("a"),
        message: "Initial import",
        committedAt: at("2026-11-01T08:00:00Z"),
        branch: "main",
        status: "succeeded",
        stages: { build: "succeeded", "deploy:staging": "succeeded" },
      },
      {
        appId: api.id,
        sha: sha("b"),
        message: "API: rate limits",
        committedAt: at("2026-11-01T09:00:00Z"),
        branch: "main",
        status: "failed",
      },
      {
        appId: web.id,
        sha: sha("c"),
        message: "Raise the cap to 100% of quota",
        committedAt: at("2026-11-01T10:00:00.25Z"),
        branch: "feature/cap",
        status: "running",
      },
      {
        appId: web.id,
        sha: sha("d"),
        message: "Fix the LOGIN page",
        committedAt: at("2026-11-01T10:00:00.25Z"),
        branch: "main",
        status: "failed",
      },
      {
        appId: web.id,
        sha: sha("e"),
        message: "Raise the cap to 1000",
        committedAt: at("2026-11-01T11:00:00Z"),
        branch: "main",
        status: "waiting",
        author: "Dana",
      },
      { appId: web.id, sha: sha("f"), message: "undated one", status: "unknown" },
      { appId: web.id, sha: sha("9"), message: "undated two", status: "unknown" },
    ],
  });
});

afterAll(async () => {
  await client.$disconnect();
  await database.drop();
});

async function everyPage(query: Parameters<typeof listCommits>[0]): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await listCommits({ ...query, cursor }, client);
    pages.push(page.items.map((c) => c.sha[0]));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 10);
  return pages;
}

describe("listCommits", () => {
  it("lists newest first, undated last, as CommitSummary", async () => {
    const page = await listCommits({}, client);
    expect(page.items.map((c) => c.sha[0])).toEqual(["e", "d", "c", "b", "a", "9", "f"]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toEqual({
      app: "web",
      sha: sha("e"),
      shortSha: "eeeeeee",
      branch: "main",
      author: "Dana",
      message: "Raise the cap to 1000",
      committedAt: "2026-11-01T11:00:00.000Z",
      status: "waiting",
      stages: {},
    });
    expect(page.items[4].stages).toEqual({ build: "succeeded", "deploy:staging": "succeeded" });
  });

  it("sends items and app listings as the OpenAPI document describes them", async () => {
    // Postgres builds each item (the commits_list_item trigger): checked against the contract.
    const page = await listCommits({}, client);
    expect(page.items.length).toBeGreaterThan(0);
    expect(schemaErrors("CommitPage", page)).toEqual([]);
    const apps = await listApps(client, []);
    expect(apps.filter((a) => a.latest !== null).length).toBeGreaterThan(1);
    for (const app of apps) expect(schemaErrors("AppListing", app), app.name).toEqual([]);
  });

  it("pages with cursors across equal times and into the undated commits", async () => {
    expect(await everyPage({ limit: 2 })).toEqual([["e", "d"], ["c", "b"], ["a", "9"], ["f"]]);
    expect(await everyPage({ limit: 3 })).toEqual([["e", "d", "c"], ["b", "a", "9"], ["f"]]);
    expect(await everyPage({ limit: 5 })).toEqual([
      ["e", "d", "c", "b", "a"],
      ["9", "f"],
    ]);
    expect(await everyPage({ limit: 7 })).toEqual([["e", "d", "c", "b", "a", "9", "f"]]);
  });

  it("filters by app, branch and status, and pages within the filter", async () => {
    expect(await everyPage({ app: "web", limit: 2 })).toEqual([
      ["e", "d"],
      ["c", "a"],
      ["9", "f"],
    ]);
    expect(await everyPage({ app: "api" })).toEqual([["b"]]);
    expect(await everyPage({ app: "nope" })).toEqual([[]]);
    expect(await everyPage({ branch: "main", status: "failed" })).toEqual([["d", "b"]]);
    expect(await everyPage({ app: "web", status: "failed" })).toEqual([["d"]]);
  });

  it("q matches a SHA prefix or a message substring, case-insensitively, wildcards literal", async () => {
    expect(await everyPage({ q: "DDDDDDD" })).toEqual([["d"]]);
    expect(await everyPage({ q: "login" })).toEqual([["d"]]);
    expect(await everyPage({ q: "raise the CAP" })).toEqual([["e", "c"]]);
    expect(await everyPage({ q: "100%" })).toEqual([["c"]]);
    expect(await everyPage({ q: "cap_to" })).toEqual([[]]);
    expect(await everyPage({ q: "  undated  ", limit: 1 })).toEqual([["9"], ["f"]]);
  });

  it("refuses a bad limit or cursor", async () => {
    await expect(listCommits({ limit: 0 }, client)).rejects.toThrow(BadInput);
    await expect(listCommits({ limit: 201 }, client)).rejects.toThrow(
      "limit must be a whole number from 1 to 200",
    );
    await expect(listCommits({ cursor: "garbage" }, client)).rejects.toThrow(
      "cursor is not one this server handed out",
    );
  });
});

describe("listApps", () => {
  it("lists apps by name with their newest commit and deploy environments in configured order", async () => {
    await seedTimeline(client, "payments", undefined, { status: "waiting" });
    // A production deploy too: a copy of the staging deploy row, in the production cluster.
    const deploy = await client.resource.findFirstOrThrow({ where: { kind: "Application" } });
    const { id: _id, ...copy } = deploy;
    await client.resource.create({
      data: {
        ...copy,
        cluster: "prod-eu",
        environment: "production",
        object: copy.object ?? {},
        observation: copy.observation ?? {},
      },
    });
    const apps = await listApps(client, ["staging", "production"]);
    expect(apps.map((a) => [a.name, a.environments, a.latest?.shortSha ?? null])).toEqual([
      ["api", [], "bbbbbbb"],
      ["empty", [], null],
      ["payments", ["staging", "production"], "da15608"],
      ["web", [], "eeeeeee"],
    ]);
    expect(apps[2]).toEqual({
      name: "payments",
      repoUrl: "https://gitlab.example.com/shop/payments",
      environments: ["staging", "production"],
      latest: {
        app: "payments",
        sha: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
        shortSha: "da15608",
        branch: "main",
        author: "Dana Scully",
        message: "Charge in the customer's currency\n\nCloses #42",
        committedAt: "2024-05-06T10:10:00.000Z",
        status: "waiting",
        stages: {},
      },
    });
    expect((await listApps(client, []))[2].environments).toEqual(["production", "staging"]);
  });

  it("an app with only undated commits shows its newest one", async () => {
    const app = await client.app.create({ data: { name: "undated" } });
    await client.commit.create({ data: { appId: app.id, sha: sha("1") } });
    await client.commit.create({ data: { appId: app.id, sha: sha("2") } });
    const apps = await listApps(client, []);
    expect(apps.find((a) => a.name === "undated")?.latest?.sha).toBe(sha("2"));
  });
});

describe("listCommits: author and environment", () => {
  beforeAll(async () => {
    const crm = await client.app.create({ data: { name: "crm" } });
    await client.commit.createMany({
      data: [
        {
          appId: crm.id,
          sha: sha("3"),
          author: "Ada Lovelace",
          authorEmail: "ada@example.com",
          committedAt: at("2026-11-02T08:00:00Z"),
          status: "failed",
          stages: { "deploy:staging": "succeeded", "deploy:production": "failed" },
        },
        {
          appId: crm.id,
          sha: sha("4"),
          author: "ADA LOVELACE",
          authorEmail: "Ada@Example.com",
          committedAt: at("2026-11-02T09:00:00Z"),
          status: "running",
          stages: { "deploy:staging": "running" },
        },
        {
          appId: crm.id,
          sha: sha("5"),
          author: "Bob",
          authorEmail: "bob@example.com",
          committedAt: at("2026-11-02T10:00:00Z"),
          status: "succeeded",
          // A verify in production is not a deploy there.
          stages: { build: "succeeded", "verify:production": "succeeded" },
        },
        {
          appId: crm.id,
          sha: sha("6"),
          author: "Ada Lovelace",
          status: "succeeded",
          stages: { "deploy:production": "succeeded" },
        },
      ],
    });
  });

  it("author matches the name or the email exactly, whatever the case, and pages within it", async () => {
    expect(await everyPage({ app: "crm", author: "ada lovelace" })).toEqual([["4", "3", "6"]]);
    expect(await everyPage({ app: "crm", author: " Ada Lovelace ", limit: 1 })).toEqual([
      ["4"],
      ["3"],
      ["6"],
    ]);
    expect(await everyPage({ author: "ADA@EXAMPLE.COM" })).toEqual([["4", "3"]]);
    expect(await everyPage({ app: "crm", author: "Ada" })).toEqual([[]]);
    expect(await everyPage({ app: "crm", author: "%" })).toEqual([[]]);
  });

  it("environment keeps commits with a deploy stage there, with the other filters", async () => {
    expect(await everyPage({ app: "crm", environment: "production" })).toEqual([["3", "6"]]);
    expect(await everyPage({ app: "crm", environment: "staging", limit: 1 })).toEqual([
      ["4"],
      ["3"],
    ]);
    expect(await everyPage({ app: "crm", environment: "staging", status: "failed" })).toEqual([
      ["3"],
    ]);
    expect(
      await everyPage({ app: "crm", environment: "production", author: "ada@example.com" }),
    ).toEqual([["3"]]);
    expect(await everyPage({ environment: "nowhere" })).toEqual([[]]);
  });

  it("the app's node-postgres pool reads the same pages as a Prisma client", async () => {
    const pool = createPool(database.url, 2);
    try {
      const queries = [
        {},
        { limit: 3 },
        { app: "web", status: "failed" as const },
        { q: "raise the cap" },
        { q: "dddd" },
        { app: "crm", author: "ada lovelace", environment: "production" },
      ];
      for (const query of queries) {
        const first = await listCommits(query, pool);
        expect(first, JSON.stringify(query)).toEqual(await listCommits(query, client));
        if (first.nextCursor) {
          const next = { ...query, cursor: first.nextCursor };
          expect(await listCommits(next, pool)).toEqual(await listCommits(next, client));
        }
      }
      expect(await listApps(pool, [])).toEqual(await listApps(client, []));
    } finally {
      await pool.end();
    }
  });
});
