// Operators' actions in Postgres: the action records (one per request; an Idempotency-Key names
// a request), and what an action may act on — the objects Shiplog has stored (the watched
// clusters and namespaces only), and whether a PipelineRun had to wait for a start gate.
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

/** An action as recorded. */
export type ActionRow = {
  id: string;
  actor: string;
  system: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  status: string;
  result: Record<string, unknown> | null;
};

/** Records a new action, accepted; null when this Idempotency-Key already names one. */
export async function insertAction(
  db: Queryable,
  idempotencyKey: string | null,
  actor: string,
  input: {
    system: string;
    cluster: string;
    namespace: string;
    kind: string;
    name: string;
    reason: string | null;
  },
): Promise<ActionRow | null> {
  const { rows } = await db.query<ActionRow>(
    `insert into actions (id, idempotency_key, actor, system, cluster, namespace, kind, name, reason, status, updated_at)
     values (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6, $7, $8, 'accepted', now() at time zone 'UTC')
     on conflict (idempotency_key) do nothing returning *`,
    [
      idempotencyKey,
      actor,
      input.system,
      input.cluster,
      input.namespace,
      input.kind,
      input.name,
      input.reason,
    ],
  );
  return rows[0] ?? null;
}

/** The action an Idempotency-Key names, if any. */
export async function actionByKey(db: Queryable, key: string): Promise<ActionRow | null> {
  const { rows } = await db.query<ActionRow>("select * from actions where idempotency_key = $1", [
    key,
  ]);
  return rows[0] ?? null;
}

/** An action's outcome: its status, what the cluster answered, or why it failed. */
export async function finishAction(
  db: Queryable,
  id: string,
  status: string,
  result: Record<string, unknown> | null,
  error: string | null,
): Promise<void> {
  await db.query(
    `update actions set status = $2, result = $3::jsonb, error = $4, updated_at = now() at time zone 'UTC' where id = $1`,
    [id, status, result === null ? null : JSON.stringify(result), error],
  );
}
