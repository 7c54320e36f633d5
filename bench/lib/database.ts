// A fresh, migrated database per benchmark run, on the same Postgres the tests find.
import path from "node:path";
import {
  createDatabase,
  dropDatabase,
  ensurePostgres,
  type PostgresServer,
} from "../../scripts/lib/postgres";
import { migrate } from "../../scripts/lib/migrate";

let server: PostgresServer | undefined;

export async function benchPostgres(): Promise<PostgresServer> {
  server ??= await ensurePostgres({ dataDir: path.resolve(".shiplog/test-pg") });
  return server;
}

export async function freshBenchDatabase(
  label: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const pg = await benchPostgres();
  const name = `shiplog_bench_${label}_${process.pid}`;
  await dropDatabase(pg.adminUrl, name);
  const url = await createDatabase(pg.adminUrl, name);
  await migrate(url, { quiet: true });
  return { url, drop: () => dropDatabase(pg.adminUrl, name) };
}
