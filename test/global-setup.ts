// Integration suite set-up: one Postgres for the run and one migrated template database
// from which every test file clones its own fresh database.
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, ensurePostgres, withAdmin } from "../scripts/lib/postgres";
import { migrate } from "../scripts/lib/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    templateDatabase: string;
    runPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await ensurePostgres({ dataDir: path.resolve(".shiplog/test-pg") });
  const runPrefix = `shiplog_t${randomBytes(3).toString("hex")}`;
  const template = `${runPrefix}_tpl`;
  const templateUrl = await createDatabase(server.adminUrl, template);
  await migrate(templateUrl, { quiet: true });

  project.provide("postgresAdminUrl", server.adminUrl);
  project.provide("templateDatabase", template);
  project.provide("runPrefix", runPrefix);

  return async () => {
    const names = await withAdmin(server.adminUrl, async (c) =>
      (
        await c.query<{ datname: string }>(
          "select datname from pg_database where datname like $1",
          [`${runPrefix}%`],
        )
      ).rows.map((row) => row.datname),
    );
    for (const name of names) await dropDatabase(server.adminUrl, name);
    await server.stop();
  };
}
