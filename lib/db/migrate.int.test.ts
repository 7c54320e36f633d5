// The migration applier on real Postgres: replicas starting together apply each migration once,
// a failing migration leaves nothing behind, and Prisma Migrate agrees with what it recorded.
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { applyMigrations, checksum, readMigrations, type Migration } from "./migrate";
import { createDatabase, dropDatabase } from "@/scripts/lib/postgres";

const root = path.resolve(import.meta.dirname, "../..");
const migrations = readMigrations(path.join(root, "prisma/migrations"));
const created: string[] = [];
let counter = 0;

async function emptyDatabase(): Promise<string> {
  const name = `${inject("runPrefix")}_mig_${process.pid}_${++counter}`;
  created.push(name);
  return createDatabase(inject("postgresAdminUrl"), name);
}

async function connected(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

afterAll(async () => {
  for (const name of created) await dropDatabase(inject("postgresAdminUrl"), name);
});

describe("applyMigrations", () => {
  it("two appliers started together apply every migration once between them", async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([connected(url), connected(url)]);
    const results = await Promise.all([a, b].map((client) => applyMigrations(client, migrations)));
    expect(results.map((r) => r.applied.length).sort((x, y) => x - y)).toEqual([
      0,
      migrations.length,
    ]);
    expect(results.map((r) => r.alreadyApplied).sort((x, y) => x - y)).toEqual([
      0,
      migrations.length,
    ]);
    const rows = await a.query(
      `select migration_name, checksum from _prisma_migrations where finished_at is not null order by 1`,
    );
    expect(rows.rows).toEqual(
      migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })),
    );
    await Promise.all([a.end(), b.end()]);
  });

  it("leaves a database that prisma migrate status calls up to date", async () => {
    const url = await emptyDatabase();
    const client = await connected(url);
    await applyMigrations(client, migrations);
    await client.end();
    const output = execFileSync(
      path.join(root, "node_modules/.bin/prisma"),
      ["migrate", "status"],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1" },
        encoding: "utf8",
      },
    );
    expect(output).toContain("Database schema is up to date!");
  });

  it("rolls a failing migration back and records nothing of it", async () => {
    const url = await emptyDatabase();
    const client = await connected(url);
    const sql = "create table half_done (id int);\nselect * from no_such_table;";
    const broken: Migration = { name: "20990101000000_broken", sql, checksum: checksum(sql) };
    await expect(applyMigrations(client, [...migrations, broken])).rejects.toThrow(
      /^migration 20990101000000_broken failed and was rolled back: relation "no_such_table" does not exist$/,
    );
    const recorded = await client.query(`select migration_name from _prisma_migrations`);
    expect(recorded.rowCount).toBe(migrations.length);
    const table = await client.query(`select to_regclass('half_done') as t`);
    expect(table.rows[0].t).toBeNull();
    // The lock is released: the next applier gets on with the good migrations.
    await expect(applyMigrations(client, migrations)).resolves.toEqual({
      applied: [],
      alreadyApplied: migrations.length,
    });
    await client.end();
  });
});
