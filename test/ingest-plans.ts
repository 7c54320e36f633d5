// Plans of ingest's statements, as ingest runs them: in a transaction that holds the ingest lock
// and its planner settings (takeIngestLock: no sequential scans, parallel workers or JIT).
import type pg from "pg";
import { transaction } from "@/lib/db/pool";
import { takeIngestLock } from "@/lib/ingest/store";

export type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
};

/** Every node of a plan, depth first. */
export const planNodes = (node: PlanNode): PlanNode[] => [
  node,
  ...(node.Plans ?? []).flatMap(planNodes),
];

/** The plan `sql` gets with `values` under ingest's settings (EXPLAIN, not run). */
export async function ingestPlan(pool: pg.Pool, sql: string, values: unknown[]): Promise<PlanNode> {
  return transaction(pool, async (db) => {
    await takeIngestLock(db);
    const { rows } = await db.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `explain (format json) ${sql}`,
      values,
    );
    return rows[0]["QUERY PLAN"][0].Plan;
  });
}
