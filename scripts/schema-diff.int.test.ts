import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../test/database";
import { MIGRATION_INDEXES, hasStatements, schemaDrift } from "./lib/schema-diff";

describe("prisma/migrations", () => {
  it("build the same tables, indexes and constraints as prisma/schema.prisma", async () => {
    expect(await schemaDrift(inject("postgresAdminUrl"))).toEqual([]);
  });

  it("counts statements, not comments", () => {
    expect(hasStatements("-- This is an empty migration.\n")).toBe(false);
    expect(hasStatements('-- AlterTable\nALTER TABLE "apps" ADD COLUMN "x" TEXT;\n')).toBe(true);
  });
});

describe("storage tuning the datamodel cannot express", () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await freshDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it("keeps every GIN index without a pending list", async () => {
    const { rows } = await client.query<{ name: string; options: string[] | null }>(
      `select i.relname as name, i.reloptions as options
         from pg_index x join pg_class i on i.oid = x.indexrelid join pg_am am on am.oid = i.relam
        where am.amname = 'gin' and i.relnamespace = 'public'::regnamespace order by 1`,
    );
    expect(rows.map((row) => row.name)).toEqual([
      "artifacts_tags_idx",
      "resources_digests_idx",
      "resources_image_tags_idx",
      "resources_manifests_revisions_idx",
    ]);
    for (const row of rows) expect(row.options, row.name).toContain("fastupdate=off");
  });

  it("compresses stored objects and observations with lz4 where the server has it", async () => {
    // A server built without lz4 (the demo's embedded Postgres) keeps the default ('').
    const lz4 = await client
      .query("create temp table lz4_probe (x text compression lz4)")
      .then(() => true)
      .catch(() => false);
    const { rows } = await client.query<{ column: string; compression: string }>(
      `select attname as column, attcompression as compression from pg_attribute
        where attrelid = 'resources'::regclass and attname in ('object', 'observation') order by 1`,
    );
    const expected = lz4 ? "l" : "";
    expect(rows).toEqual([
      { column: "object", compression: expected },
      { column: "observation", compression: expected },
    ]);
  });

  it("keeps each commit's list item by a trigger that fires even in bulk loads", async () => {
    const { rows } = await client.query<{ name: string; enabled: string; definition: string }>(
      `select tgname as name, tgenabled as enabled, pg_get_triggerdef(oid) as definition
         from pg_trigger where tgrelid = 'commits'::regclass and not tgisinternal`,
    );
    expect(rows).toHaveLength(1);
    // 'A': always, also under session_replication_role = replica.
    expect(rows[0]).toMatchObject({ name: "commits_list_item", enabled: "A" });
    expect(rows[0].definition).toContain(
      "BEFORE INSERT OR UPDATE OF app_id, sha, branch, author, message, committed_at, status, stages",
    );
  });

  it("has the indexes on expressions and the partial indexes that the drift check leaves out", async () => {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `select indexname as name, indexdef as definition from pg_indexes
        where schemaname = 'public' and indexname = any($1::text[]) order by indexname`,
      [MIGRATION_INDEXES],
    );
    expect(rows).toEqual([
      {
        name: "artifacts_commit_id_idx",
        definition:
          "CREATE INDEX artifacts_commit_id_idx ON public.artifacts USING btree (commit_id) WHERE (commit_id IS NOT NULL)",
      },
      {
        name: "commits_sha_prefix_idx",
        definition:
          'CREATE INDEX commits_sha_prefix_idx ON public.commits USING btree ("left"(sha, 7))',
      },
      {
        name: "resources_cluster_parent_key_idx",
        definition:
          "CREATE INDEX resources_cluster_parent_key_idx ON public.resources USING btree (cluster, parent_key) WHERE (parent_key IS NOT NULL)",
      },
      {
        name: "resources_commit_id_idx",
        definition:
          "CREATE INDEX resources_commit_id_idx ON public.resources USING btree (commit_id) WHERE (commit_id IS NOT NULL)",
      },
      {
        name: "resources_digests_idx",
        definition:
          "CREATE INDEX resources_digests_idx ON public.resources USING gin (digests) WITH (fastupdate=off) WHERE (digests <> '{}'::text[])",
      },
      {
        name: "resources_image_tags_idx",
        definition:
          "CREATE INDEX resources_image_tags_idx ON public.resources USING gin (image_tags) WITH (fastupdate=off) WHERE (image_tags <> '{}'::text[])",
      },
      {
        name: "resources_manifests_revisions_idx",
        definition:
          "CREATE INDEX resources_manifests_revisions_idx ON public.resources USING gin (manifests_revisions) WITH (fastupdate=off) WHERE (manifests_revisions <> '{}'::text[])",
      },
      {
        name: "resources_revision_idx",
        definition:
          "CREATE INDEX resources_revision_idx ON public.resources USING btree (revision) WHERE (revision IS NOT NULL)",
      },
    ]);
  });
});
