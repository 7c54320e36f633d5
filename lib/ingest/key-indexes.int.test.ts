// The correlation keys of resources are indexed only on the rows that have them (partial indexes,
// prisma/migrations/20261126210000_partial_key_indexes). An index whose condition the planner
// cannot prove from a statement's own conditions is never used, and the statement scans the table
// instead: every lookup by a key must name what makes its index usable. Checked as ingest runs
// them (sequential scans off: a plan that needs one costs it as disabled).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { ingestPlan, planNodes, type PlanNode } from "@/test/ingest-plans";
import { createPool } from "../db/pool";
import { CHILDREN } from "../db/runs";
import { PARTS } from "../db/timeline";
import { DEPENDENTS } from "./dependents";
import { FACTS, WAITING_RESOURCES } from "./linker";

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;

/** Every node of the plan `sql` gets with `values` under ingest's settings. */
const plan = async (sql: string, values: unknown[]) =>
  planNodes(await ingestPlan(pool, sql, values));

const indexesOn = (plan: PlanNode[]) => new Set(plan.flatMap((n) => n["Index Name"] ?? []));
const scansOfResources = (plan: PlanNode[]) =>
  plan.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "resources");

const wanted = JSON.stringify([{ cluster: "staging", key: "tekton:PipelineRun:ci/run-1" }]);

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 1);
  // A young store, without statistics (no ANALYZE): 400 rows of four kinds, each with the keys
  // its kind has, half of them on a commit.
  await pool.query(
    `insert into resources (system, kind, cluster, namespace, name, uid, key, object, observation,
                            stage, revision, digests, manifests_revisions, parent_key, commit_id)
     select k.system, k.kind, 'staging', 'ci', k.kind || n, k.kind || '-uid-' || n, k.kind || ':' || n, '{}', '{}',
            k.stage,
            case when k.kind = 'Build' then encode(sha256(n::text::bytea), 'hex') end,
            case when k.kind in ('Build', 'Application') then array['sha256:' || n] else '{}' end,
            case when k.kind = 'Application' then array['m' || n] else '{}' end,
            case when k.kind = 'TaskRun' then 'PipelineRun:' || n end,
            case when n % 2 = 0 then n end
       from generate_series(1, 100) n,
            (values ('kpack', 'Build', 'build'), ('tekton', 'PipelineRun', 'pipeline'),
                    ('tekton', 'TaskRun', 'pipeline'), ('argocd', 'Application', 'deploy'))
              as k(system, kind, stage)`,
  );
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe("lookups by a correlation key use its partial index", () => {
  it("the facts a batch's decisions read", async () => {
    const used = await plan(FACTS, [
      ["a".repeat(40)],
      ["1.0"],
      ["shop/app:1.0"],
      ["sha256:" + "b".repeat(64)],
      ["c".repeat(40)],
      wanted,
    ]);
    expect(scansOfResources(used)).toEqual([]);
    expect([...indexesOn(used)]).toEqual(
      expect.arrayContaining(["resources_digests_idx", "resources_manifests_revisions_idx"]),
    );
  });

  it("the rows that newly linked keys tie", async () => {
    const used = await plan(DEPENDENTS, [
      ["sha256:" + "b".repeat(64)],
      ["shop/app:1.0"],
      ["1"],
      ["c".repeat(40)],
      wanted,
      wanted,
      [],
      [],
    ]);
    expect(scansOfResources(used)).toEqual([]);
    expect([...indexesOn(used)]).toEqual(
      expect.arrayContaining([
        "resources_digests_idx",
        "resources_image_tags_idx",
        "resources_manifests_revisions_idx",
        "resources_cluster_parent_key_idx",
        "resources_cluster_key_idx",
      ]),
    );
  });

  it("the rows waiting for a new commit, by revision", async () => {
    const used = await plan(WAITING_RESOURCES, [["a".repeat(40)]]);
    expect(scansOfResources(used)).toEqual([]);
    expect([...indexesOn(used)]).toEqual(["resources_revision_idx"]);
  });

  it("a PipelineRun's TaskRuns, by parent", async () => {
    const used = await plan(CHILDREN, ["staging", "tekton:PipelineRun:ci/run-1", "uid-1"]);
    expect(scansOfResources(used)).toEqual([]);
    expect([...indexesOn(used)]).toEqual(["resources_cluster_parent_key_idx"]);
  });

  it("a timeline's resources, by commit and by parent", async () => {
    const used = await plan(PARTS, [["1"]]);
    expect(scansOfResources(used)).toEqual([]);
    expect([...indexesOn(used)]).toEqual(
      expect.arrayContaining(["resources_commit_id_idx", "resources_cluster_parent_key_idx"]),
    );
  });
});
