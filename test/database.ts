// Gives an integration test its own database, cloned from the run's migrated template.
import { afterAll, beforeAll, inject } from "vitest";
import type pg from "pg";
import { createPool } from "../lib/db/pool";
import { createDatabase, dropDatabase } from "../scripts/lib/postgres";

let counter = 0;

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

export async function freshDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `${inject("runPrefix")}_${process.pid}_${++counter}`;
  const url = await createDatabase(adminUrl, name, inject("templateDatabase"));
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}

/**
 * A fresh database and a node-postgres pool on it for the whole test file (set up in beforeAll,
 * closed and dropped in afterAll). Read `.pool` inside tests and hooks.
 */
export function databasePerFile(max = 4): {
  readonly pool: pg.Pool;
  readonly database: TestDatabase;
} {
  const state: { pool?: pg.Pool; database?: TestDatabase } = {};
  beforeAll(async () => {
    state.database = await freshDatabase();
    state.pool = createPool(state.database.url, max);
  });
  afterAll(async () => {
    await state.pool?.end();
    await state.database?.drop();
  });
  return {
    get pool() {
      return state.pool as pg.Pool;
    },
    get database() {
      return state.database as TestDatabase;
    },
  };
}

/** Empties what ingest writes, so each test starts from nothing. */
export async function truncateIngest(pool: pg.Pool): Promise<void> {
  await pool.query(
    "truncate apps, commits, resources, transitions, links, artifacts, events restart identity cascade",
  );
}
