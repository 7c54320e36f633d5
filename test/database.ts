// Gives an integration test its own database, cloned from the run's migrated template.
import { inject } from "vitest";
import { createDatabase, dropDatabase } from "../scripts/lib/postgres";

let counter = 0;

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

export async function freshDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `${inject("runPrefix")}_${process.pid}_${++counter}`;
  const url = await createDatabase(adminUrl, name, inject("templateDatabase"));
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}
