// Linking looks each row up by its id. A young database has no statistics, and a registry holds
// many artifacts that no watched commit claims: were the waiting artifacts in the commit_id index,
// the planner could take "commit_id IS NULL" for a handful of rows and rescan all of them for each
// artifact a batch links (prisma/migrations/20261126160000_linked_rows_index).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { ingestPlan, planNodes, type PlanNode } from "@/test/ingest-plans";
import { LINK_RULES } from "@/lib/timeline/correlate";
import { createPool, transaction } from "../db/pool";
import { LINK } from "./linker";
import { takeIngestLock } from "./store";

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 1);
  await pool.query("insert into apps (id, name) values (1, 'shop')");
  await pool.query("insert into commits (id, app_id, sha, updated_at) values (1, 1, $1, now())", [
    "a".repeat(40),
  ]);
  // 150 artifacts that wait for a commit and 150 that are linked, as when a batch has just
  // written its artifacts; no statistics (no ANALYZE). With the waiting ones in the index, the
  // planner scans them for each artifact linked (this test fails so).
  await pool.query(
    `insert into artifacts (project, repository, digest, commit_id, updated_at)
     select 'shop', 'shop/app' || n % 20, 'sha256:' || encode(sha256(n::text::bytea), 'hex'),
            case when n > 150 then 1 end, now()
       from generate_series(1, 300) n`,
  );
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe("linking a batch's artifacts", () => {
  it("finds each artifact by its id, never by scanning the waiting ones", async () => {
    const links = Array.from({ length: 150 }, (_, i) => ({
      commit_id: "1",
      to_type: "artifact",
      to_id: String(i + 1),
      rule: "digest",
      evidence: `sha256:${i}`,
    }));
    const plan = await ingestPlan(pool, LINK, [JSON.stringify(links), [...LINK_RULES]]);
    const update = planNodes(plan).find(
      (node) => node["Node Type"] === "ModifyTable" && node["Relation Name"] === "artifacts",
    );
    expect(update).toBeDefined();
    const indexes = planNodes(update as PlanNode).flatMap((node) =>
      node["Index Name"] ? [node["Index Name"]] : [],
    );
    expect(indexes).toEqual(["artifacts_pkey"]);
  });

  it("links them", async () => {
    const links = [5, 6, 7].map((id) => ({
      commit_id: "1",
      to_type: "artifact",
      to_id: String(id),
      rule: "digest",
      evidence: "sha256:x",
    }));
    const linked = await transaction(pool, async (db) => {
      await takeIngestLock(db);
      return (await db.query(LINK, [JSON.stringify(links), [...LINK_RULES]])).rows;
    });
    expect(linked).toEqual([5n, 6n, 7n].map((id) => ({ type: "artifact", id })));
    const { rows } = await pool.query(
      "select count(*)::int as n from artifacts where commit_id = 1 and id in (5, 6, 7)",
    );
    expect(rows[0].n).toBe(3);
  });
});
