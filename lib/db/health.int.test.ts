import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
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

  it("reports a database without Shiplog's tables as not migrated", async () => {
    await client.$executeRawUnsafe("drop table _prisma_migrations");
    expect(await checkDatabase(client)).toEqual({
      ok: false,
      detail: "not migrated: run npm run db:migrate",
    });
  });
});
