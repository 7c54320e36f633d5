// Applies the committed SQL migrations (prisma/migrations/*/migration.sql) to a database, in
// name order, each in its own transaction, and records them in Prisma Migrate's own table
// (_prisma_migrations, same columns and checksums), so `prisma migrate deploy`, `prisma migrate
// diff` and this agree on what is applied. One applier at a time: it holds the advisory lock
// Prisma Migrate takes too, so replicas (or a Job and a developer) starting together wait for
// each other, and the second one finds nothing left to do. Needs only node-postgres, so the
// container image runs it without the Prisma CLI.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type pg from "pg";

/** Prisma Migrate's advisory lock key (schema-engine's postgres connector). */
export const MIGRATION_LOCK_KEY = 72707369;

export type Migration = { name: string; sql: string; checksum: string };

export type MigrationResult = { applied: string[]; alreadyApplied: number };

/** A migration the database cannot take, or one that failed before: a person must look. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

/** Prisma's checksum of a migration: the SHA-256 of the file's bytes, in hex. */
export function checksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Every `<dir>/<name>/migration.sql`, in name order (the timestamp prefix orders them). */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`no migrations directory at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksum(sql) };
    });
}

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/**
 * What is left to apply, given the rows already recorded. Pure. A migration that started and
 * never finished (Prisma records those) stops everything: its half-done effects need a person.
 */
export function pendingMigrations(
  migrations: Migration[],
  rows: AppliedRow[],
): { pending: Migration[]; changed: string[] } {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed earlier and is not resolved: fix the database, then run npx prisma migrate resolve --rolled-back ${failed.migration_name}`,
    );
  }
  const finished = new Map(
    rows.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row]),
  );
  return {
    pending: migrations.filter((migration) => !finished.has(migration.name)),
    changed: migrations
      .filter((m) => finished.has(m.name) && finished.get(m.name)!.checksum !== m.checksum)
      .map((m) => m.name),
  };
}

// Prisma Migrate's table, as its schema engine creates it.
const CREATE_TABLE = `create table if not exists "_prisma_migrations" (
  "id" varchar(36) primary key not null,
  "checksum" varchar(64) not null,
  "finished_at" timestamptz,
  "migration_name" varchar(255) not null,
  "logs" text,
  "rolled_back_at" timestamptz,
  "started_at" timestamptz not null default now(),
  "applied_steps_count" integer not null default 0
)`;

/**
 * Applies what `client`'s database lacks of `migrations`, under the advisory lock. `client` is a
 * connected client of its own (the lock belongs to its session).
 */
export async function applyMigrations(
  client: pg.ClientBase,
  migrations: Migration[],
  options: { onApplied?: (name: string) => void; onChanged?: (names: string[]) => void } = {},
): Promise<MigrationResult> {
  await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `select migration_name, checksum, finished_at, rolled_back_at from "_prisma_migrations"
        where rolled_back_at is null order by started_at`,
    );
    const { pending, changed } = pendingMigrations(migrations, rows);
    if (changed.length) options.onChanged?.(changed);
    const applied: string[] = [];
    for (const migration of pending) {
      try {
        await client.query("begin");
        await client.query(migration.sql);
        await client.query(
          `insert into "_prisma_migrations"
             (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           values ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw new MigrationError(
          `migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      applied.push(migration.name);
      options.onApplied?.(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - pending.length };
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
  }
}
