import path from "node:path";
import { describe, expect, it } from "vitest";
import { checksum, pendingMigrations, readMigrations, type Migration } from "./migrate";

const migration = (name: string, sql = `-- ${name}`): Migration => ({
  name,
  sql,
  checksum: checksum(sql),
});
const row = (m: Migration, finished: boolean, rolledBack = false) => ({
  migration_name: m.name,
  checksum: m.checksum,
  finished_at: finished ? new Date() : null,
  rolled_back_at: rolledBack ? new Date() : null,
});

describe("pendingMigrations", () => {
  const [a, b, c] = ["1_a", "2_b", "3_c"].map((name) => migration(name));

  it("is what the database has not finished, in order", () => {
    expect(pendingMigrations([a, b, c], [row(a, true)]).pending.map((m) => m.name)).toEqual([
      "2_b",
      "3_c",
    ]);
  });

  it("stops at a migration that started and never finished, naming it", () => {
    expect(() => pendingMigrations([a, b], [row(a, true), row(b, false)])).toThrow(
      "migration 2_b failed earlier and is not resolved: fix the database, then run npx prisma migrate resolve --rolled-back 2_b",
    );
  });

  it("names applied migrations whose file changed since", () => {
    const edited = migration("1_a", "-- edited");
    expect(pendingMigrations([edited, b], [row(a, true), row(b, true)])).toEqual({
      pending: [],
      changed: ["1_a"],
    });
  });

  it("matches the checksum prisma migrate deploy recorded for the first migration", () => {
    // Read from _prisma_migrations after `prisma migrate deploy` of this repository's migrations.
    const init = readMigrations(path.resolve(import.meta.dirname, "../../prisma/migrations"))[0];
    expect(init.name).toBe("20261125000000_init");
    expect(init.checksum).toBe("273badff1cf33e53964be91f57ac6751eca16ebab6d07b6ac1bd2ae8b138650b");
  });
});
