// The gates of commits as the timeline's approval stages want them: per commit, each gate with
// its decisions (who, what, comment, when), keyed by the gate's object so a stage built from the
// CustomRun / ApprovalTask / PipelineRun row can find its gate (cluster + uid).
import type { Queryable } from "../db/pool";
import { decisionsOf, type GateRow } from "./store";

export type CommitGate = {
  gateId: string;
  kind: string;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  status: string;
  minApprovals: number;
  approvers: string[];
  decisions: { user: string; decision: "approve" | "reject"; comment: string | null; at: string }[];
};

/**
 * Gates tied to these commits — directly, or through the resource row ingest linked for the
 * gate's object — with their decisions, in two queries. Map: commit id → gates (oldest first).
 */
export async function gatesOfCommits(
  db: Queryable,
  commitIds: bigint[],
): Promise<Map<bigint, CommitGate[]>> {
  const out = new Map<bigint, CommitGate[]>(commitIds.map((id) => [id, []]));
  if (commitIds.length === 0) return out;
  const { rows } = await db.query<GateRow & { cid: bigint }>(
    `select g.id, g.kind, g.cluster, g.namespace, g.name, g.uid, g.status, g.min_approvals,
            g.approvers, coalesce(g.commit_id, r.commit_id) as cid
       from gates g
       left join resources r on r.cluster = g.cluster and r.uid = g.uid
      where g.commit_id = any($1::bigint[]) or r.commit_id = any($1::bigint[])
      order by g.created_at, g.id`,
    [commitIds],
  );
  const decisions = await decisionsOf(
    db,
    rows.map((r) => r.id),
  );
  for (const row of rows) {
    out.get(BigInt(row.cid))?.push({
      gateId: row.id,
      kind: row.kind,
      cluster: row.cluster,
      namespace: row.namespace,
      name: row.name,
      uid: row.uid,
      status: row.status,
      minApprovals: row.min_approvals,
      approvers: row.approvers,
      decisions: (decisions.get(row.id) ?? []).map((d) => ({
        user: d.user,
        decision: d.decision,
        comment: d.comment,
        at: d.at.toISOString(),
      })),
    });
  }
  return out;
}
