// What an operator's action may act on, read from Postgres: the objects Shiplog has stored (the
// watched clusters and namespaces only), and whether a PipelineRun had to wait for a start gate.
import type { Queryable } from "../db/pool";

/**
 * The uids (metadata.uid) of the live (not deleted) stored objects of this kind, namespace and
 * name in a cluster; empty when Shiplog has not stored one. Looked up by the resources' (cluster,
 * key) index, the key being the normalizers' `<system>:<kind>:<namespace>/<name>`; an Application
 * has a row per deployed revision, all with its uid.
 */
export async function storedUids(
  db: Queryable,
  target: { system: string; cluster: string; namespace: string; kind: string; name: string },
): Promise<string[]> {
  const { rows } = await db.query<{ uid: string }>(
    `select distinct object->'metadata'->>'uid' as uid from resources
      where cluster = $1 and key = $2 and deleted_at is null`,
    [target.cluster, `${target.system}:${target.kind}:${target.namespace}/${target.name}`],
  );
  return rows.map((r) => r.uid);
}

/** The status of the start gate (PipelineRunPending) a PipelineRun had, or null if it had none. */
export async function startGateStatus(
  db: Queryable,
  cluster: string,
  uid: string,
): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>(
    "select status from gates where cluster = $1 and uid = $2 and kind = 'PipelineRun'",
    [cluster, uid],
  );
  return rows[0]?.status ?? null;
}
