// Schema drift checks. Prisma's schema engine cannot read a live Postgres catalog through the
// pg adapter ("Column type 'char' could not be deserialized"), so drift is found by comparing
// catalogs: the committed migrations applied to one database, the datamodel's SQL to another.
import { execFile } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { createDatabase, dropDatabase, withAdmin } from "./postgres";
import { migrate } from "./migrate";

const root = path.resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);
const prisma = path.join(root, "node_modules/.bin/prisma");
const env = { ...process.env, CHECKPOINT_DISABLE: "1" };

/** SQL between two datamodels (files). The CLI opens its adapter even so: give it any database. */
export async function datamodelDiff(
  from: string | "empty",
  to: string,
  databaseUrl: string,
): Promise<string> {
  const source = from === "empty" ? ["--from-empty"] : ["--from-schema-datamodel", from];
  const { stdout } = await exec(
    prisma,
    ["migrate", "diff", ...source, "--to-schema-datamodel", to, "--script"],
    { cwd: root, env: { ...env, DATABASE_URL: databaseUrl } },
  );
  return stdout;
}

/** Prisma prints a comment for an empty migration; only statements count. */
export function hasStatements(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .some((line) => line !== "" && !line.startsWith("--"));
}

const catalogQuery = `
  select 'column' as what, c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' || c.udt_name
         || ' null=' || c.is_nullable || ' default=' || coalesce(c.column_default, '') as detail
    from information_schema.columns c where c.table_schema = 'public' and c.table_name <> '_prisma_migrations'
  union all
  -- Storage parameters (a GIN index's fastupdate), indexes on expressions and partial indexes are
  -- what the datamodel cannot express: they live in the migrations alone, and prisma/migrations'
  -- own test checks them.
  select 'index', regexp_replace(indexdef, ' WITH \(.*\)$', '')
    from pg_indexes where schemaname = 'public' and tablename <> '_prisma_migrations'
     and indexname <> all($1::text[])
  union all
  select 'constraint', conrelid::regclass || ' ' || pg_get_constraintdef(oid)
    from pg_constraint where connamespace = 'public'::regnamespace and conrelid::regclass::text <> '_prisma_migrations'
  order by 1, 2`;

/** Indexes on expressions and partial indexes, created by the migrations alone. */
export const MIGRATION_INDEXES = [
  "commits_sha_prefix_idx",
  "artifacts_commit_id_idx",
  "resources_cluster_parent_key_idx",
  "resources_commit_id_idx",
  "resources_digests_idx",
  "resources_image_tags_idx",
  "resources_manifests_revisions_idx",
  "resources_revision_idx",
];

async function catalog(url: string): Promise<string[]> {
  return withAdmin(url, async (client) =>
    (
      await client.query<{ what: string; detail: string }>(catalogQuery, [MIGRATION_INDEXES])
    ).rows.map((r) => `${r.what}: ${r.detail}`),
  );
}

/** Lines present in one catalog and not the other ([] when the migrations match the schema). */
export async function schemaDrift(adminUrl: string): Promise<string[]> {
  const tag = randomBytes(3).toString("hex");
  const [migrated, modelled] = [`shiplog_drift_m_${tag}`, `shiplog_drift_s_${tag}`];
  try {
    const migratedUrl = await createDatabase(adminUrl, migrated);
    const modelledUrl = await createDatabase(adminUrl, modelled);
    await migrate(migratedUrl, { quiet: true });
    const sql = await datamodelDiff("empty", "prisma/schema.prisma", modelledUrl);
    await withAdmin(modelledUrl, (client) => client.query(sql));
    const [a, b] = await Promise.all([catalog(migratedUrl), catalog(modelledUrl)]);
    const inA = new Set(a);
    const inB = new Set(b);
    return [
      ...a.filter((line) => !inB.has(line)).map((line) => `only in migrations: ${line}`),
      ...b.filter((line) => !inA.has(line)).map((line) => `only in schema.prisma: ${line}`),
    ];
  } finally {
    await dropDatabase(adminUrl, migrated);
    await dropDatabase(adminUrl, modelled);
  }
}
