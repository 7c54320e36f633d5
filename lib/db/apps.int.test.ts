import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { listAppOverviews } from "./apps";
import { checkDatabase } from "./health";
import { freshDatabase, type TestDatabase } from "@/test/database";

let database: TestDatabase;
let client: ReturnType<typeof createPrismaClient>;

beforeAll(async () => {
  database = await freshDatabase();
  client = createPrismaClient(database.url);
});

afterAll(async () => {
  await client.$disconnect();
  await database.drop();
});

describe("listAppOverviews", () => {
  it("is empty on a new database", async () => {
    expect(await listAppOverviews(client)).toEqual([]);
  });

  it("lists apps by name with their newest commit and count", async () => {
    const web = await client.app.create({
      data: { name: "web", repoUrl: "https://git.example.com/shop/web.git" },
    });
    await client.app.create({ data: { name: "api" } });
    await client.commit.createMany({
      data: [
        {
          appId: web.id,
          sha: "a".repeat(40),
          message: "old",
          committedAt: new Date("2026-11-01T10:00:00Z"),
          status: "succeeded",
        },
        {
          appId: web.id,
          sha: "b".repeat(40),
          message: "new\n\nbody",
          committedAt: new Date("2026-11-02T10:00:00Z"),
          status: "running",
          branch: "main",
          author: "Dana",
        },
      ],
    });
    const apps = await listAppOverviews(client);
    expect(apps.map((app) => app.name)).toEqual(["api", "web"]);
    expect(apps[0]).toEqual({ name: "api", repoUrl: null, commitCount: 0, latest: null });
    expect(apps[1].commitCount).toBe(2);
    expect(apps[1].latest).toMatchObject({
      sha: "b".repeat(40),
      status: "running",
      branch: "main",
      author: "Dana",
    });
  });

  it("keeps one commit per app and sha", async () => {
    const app = await client.app.create({ data: { name: "worker" } });
    await client.commit.create({ data: { appId: app.id, sha: "c".repeat(40) } });
    await expect(
      client.commit.create({ data: { appId: app.id, sha: "c".repeat(40) } }),
    ).rejects.toThrow(/Unique constraint/);
  });
});

describe("checkDatabase", () => {
  it("is ok on a migrated database", async () => {
    expect(await checkDatabase(client)).toEqual({ ok: true });
  });

  it("reports an unreachable database without throwing", async () => {
    const unreachable = createPrismaClient("postgresql://postgres@127.0.0.1:1/nothing");
    const result = await checkDatabase(unreachable, 3000);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^unreachable: .+/);
    await unreachable.$disconnect();
  });
});
