// `node migrate.js` in the container image (once per rollout: a Kubernetes Job or init
// container): applies the migrations in prisma/migrations beside it to DATABASE_URL and exits 0.
// Several started together take turns under Prisma Migrate's advisory lock (lib/db/migrate.ts);
// the later ones find nothing left to do. Bundled into .next/standalone/migrate.js.
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { config, describeConfigError, requireServerConfig } from "../../lib/config";
import { applyMigrations, readMigrations } from "../../lib/db/migrate";
import { log } from "../../lib/log";

const dir = path.dirname(fileURLToPath(import.meta.url));

let databaseUrl: string;
try {
  databaseUrl = requireServerConfig(config()).databaseUrl;
} catch (error) {
  process.stderr.write(`${describeConfigError(error) ?? `shiplog: ${String(error)}`}\n`);
  process.exit(2);
}

const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
try {
  const migrations = readMigrations(path.join(dir, "prisma/migrations"));
  await client.connect();
  const result = await applyMigrations(client, migrations, {
    onApplied: (migration) => log.info({ migration }, "applied migration"),
    onChanged: (changed) =>
      log.warn({ changed }, "applied migrations changed since they were applied"),
  });
  log.info(
    { applied: result.applied.length, alreadyApplied: result.alreadyApplied },
    result.applied.length ? "migrations applied" : "no pending migrations",
  );
  await client.end();
} catch (error) {
  await client.end().catch(() => {});
  process.stderr.write(
    `shiplog: migrations not applied: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
