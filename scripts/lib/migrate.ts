// Applies the committed migrations (prisma/migrations) to a database, in this process, with the
// applier the container image runs (lib/db/migrate.ts).
import path from "node:path";
import pg from "pg";
import { applyMigrations, readMigrations, type MigrationResult } from "../../lib/db/migrate";

const root = path.resolve(import.meta.dirname, "../..");
export const migrationsDir = path.join(root, "prisma/migrations");

export async function migrate(
  databaseUrl: string,
  options: { quiet?: boolean } = {},
): Promise<MigrationResult> {
  const say = (line: string) => options.quiet || process.stdout.write(`${line}\n`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await applyMigrations(client, readMigrations(migrationsDir), {
      onApplied: (name) => say(`applied ${name}`),
      onChanged: (names) =>
        process.stderr.write(
          `shiplog: warning: applied migrations changed since they were applied: ${names.join(", ")}\n`,
        ),
    });
    if (result.applied.length === 0) say("no pending migrations");
    return result;
  } finally {
    await client.end().catch(() => {});
  }
}
