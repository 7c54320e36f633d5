// Upserts of watched Kubernetes objects: one row per object (per revision for an Argo CD
// Application), stale resourceVersions ignored, a transition appended when the status changes.
import type { Queryable } from "../db/pool";
import type { DeployDetails, Observation } from "../sources/types";
import { appNameOf, imageTagKeys, parentKeyOf } from "../timeline/correlate";

export type Scope = { cluster: string; environment: string | null };
export type ResourceInput = {
  scope: Scope;
  observation: Observation;
  object: unknown;
  deleted: boolean;
};

export type WrittenResource = {
  id: bigint;
  cluster: string;
  observation: Observation;
  commitId: bigint | null;
  environment: string | null;
  changed: boolean; // the normalized status changed (or the row is new)
};

const FINAL = ["succeeded", "failed", "cancelled", "skipped"];

/** The row's identity within its cluster: the object's uid, per deployed revision for Applications. */
export function rowUid(obs: Observation): string {
  const uid = obs.uid ?? obs.key;
  if (obs.kind !== "Application") return uid;
  return `${uid}@${(obs.details as DeployDetails).revision ?? ""}`;
}

/** Kubernetes resourceVersions are opaque, but in practice integers; compare them when they are. */
export function isStale(incoming: string | null, stored: string | null): boolean {
  if (!incoming || !stored || !/^\d+$/.test(incoming) || !/^\d+$/.test(stored)) return false;
  return BigInt(incoming) <= BigInt(stored);
}

/** The row an observation becomes (also what the ingest benchmark inserts raw). */
export function resourceRow(input: ResourceInput, now: Date) {
  const obs = input.observation;
  return {
    system: obs.system,
    kind: obs.kind,
    cluster: input.scope.cluster,
    namespace: obs.namespace ?? "",
    name: obs.name,
    uid: rowUid(obs),
    key: obs.key,
    resource_version: obs.resourceVersion,
    object: input.object,
    observation: obs,
    stage: obs.stage,
    status: obs.status,
    reason: obs.reason,
    started_at: obs.startedAt,
    finished_at: obs.finishedAt,
    revision: obs.revision?.sha ?? null,
    digests: obs.digests,
    image_tags: imageTagKeys(obs),
    manifests_revisions: obs.manifestsRevisions.map((rev) => rev.sha),
    parent_key: parentKeyOf(obs),
    app_name: obs.labels.app ?? (obs.revision ? appNameOf(obs) : null),
    environment: obs.labels.environment ?? obs.environment ?? input.scope.environment,
    deleted_at: input.deleted ? now.toISOString() : null,
  };
}

export const RESOURCE_COLUMNS = `system text, kind text, cluster text, namespace text, name text, uid text, key text,
  resource_version text, object jsonb, observation jsonb, stage text, status text, reason text,
  started_at timestamptz, finished_at timestamptz, revision text, digests jsonb, image_tags jsonb,
  manifests_revisions jsonb, parent_key text, app_name text, environment text, deleted_at timestamptz`;

const textArray = (column: string) => `array(select jsonb_array_elements_text(r.${column}))`;

/**
 * Writes the batch (already deduplicated by cluster + uid). Returns the rows that were written;
 * duplicates and stale versions are left out and change nothing.
 */
export async function upsertResources(
  db: Queryable,
  inputs: ResourceInput[],
  now: Date,
): Promise<WrittenResource[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input) => resourceRow(input, now));
  const existing = await db.query<{
    cluster: string;
    uid: string;
    resource_version: string | null;
    status: string;
    deleted: boolean;
  }>(
    `select r.cluster, r.uid, r.resource_version, r.status, r.deleted_at is not null as deleted
       from resources r join jsonb_to_recordset($1::jsonb) as k(cluster text, uid text)
         on r.cluster = k.cluster and r.uid = k.uid`,
    [JSON.stringify(rows.map(({ cluster, uid }) => ({ cluster, uid })))],
  );
  const before = new Map(existing.rows.map((row) => [`${row.cluster}\u0000${row.uid}`, row]));
  const fresh = rows.filter((row) => {
    const prior = before.get(`${row.cluster}\u0000${row.uid}`);
    if (!prior) return true;
    if (row.deleted_at && !prior.deleted) return true;
    if (row.resource_version === null) return true;
    return (
      !isStale(row.resource_version, prior.resource_version) &&
      row.resource_version !== prior.resource_version
    );
  });
  if (fresh.length === 0) return [];

  const written = await db.query<{
    id: bigint;
    cluster: string;
    uid: string;
    commit_id: bigint | null;
    observation: Observation;
    environment: string | null;
  }>(
    `insert into resources (system, kind, cluster, namespace, name, uid, key, resource_version, object, observation,
       stage, status, reason, started_at, finished_at, revision, digests, image_tags, manifests_revisions, parent_key,
       app_name, environment, deleted_at, observed_at)
     select r.system, r.kind, r.cluster, r.namespace, r.name, r.uid, r.key, r.resource_version, r.object, r.observation,
       r.stage, r.status, r.reason, r.started_at, r.finished_at, r.revision, ${textArray("digests")},
       ${textArray("image_tags")}, ${textArray("manifests_revisions")}, r.parent_key, r.app_name, r.environment,
       r.deleted_at, $2
       from jsonb_to_recordset($1::jsonb) as r(${RESOURCE_COLUMNS})
     on conflict (cluster, uid) do update set
       namespace = excluded.namespace, name = excluded.name, key = excluded.key,
       resource_version = excluded.resource_version, object = excluded.object, observation = excluded.observation,
       stage = excluded.stage, status = excluded.status, reason = excluded.reason,
       started_at = excluded.started_at, finished_at = excluded.finished_at, revision = excluded.revision,
       digests = excluded.digests, image_tags = excluded.image_tags, manifests_revisions = excluded.manifests_revisions,
       parent_key = excluded.parent_key, app_name = coalesce(excluded.app_name, resources.app_name),
       environment = coalesce(excluded.environment, resources.environment),
       deleted_at = coalesce(excluded.deleted_at, resources.deleted_at), observed_at = excluded.observed_at
     where not (resources.resource_version ~ '^[0-9]+$' and excluded.resource_version ~ '^[0-9]+$'
                and resources.resource_version::numeric > excluded.resource_version::numeric)
     returning id, cluster, uid, commit_id, observation, environment`,
    [JSON.stringify(fresh), now.toISOString()],
  );

  const result = written.rows.map((row): WrittenResource => {
    const prior = before.get(`${row.cluster}\u0000${row.uid}`);
    return {
      id: row.id,
      cluster: row.cluster,
      observation: row.observation,
      commitId: row.commit_id,
      environment: row.environment,
      changed: !prior || prior.status !== row.observation.status,
    };
  });
  const transitions = result
    .filter((row) => row.changed)
    .map((row) => ({
      resource_id: String(row.id),
      status: row.observation.status,
      reason: row.observation.reason,
    }));
  if (transitions.length > 0) {
    await db.query(
      `insert into transitions (resource_id, status, reason, at)
       select t.resource_id::bigint, t.status, t.reason, $2 from jsonb_to_recordset($1::jsonb) as t(resource_id text, status text, reason text)`,
      [JSON.stringify(transitions), now.toISOString()],
    );
  }
  return result;
}

/**
 * When an Application moves to a new revision before Shiplog saw the old one finish, its
 * history says the old revision was deployed: close those rows as succeeded at `deployedAt`.
 * Returns the commits whose timelines changed.
 */
export async function settleDeployHistory(
  db: Queryable,
  written: WrittenResource[],
  now: Date,
): Promise<bigint[]> {
  const settled = written.flatMap(({ cluster, observation: obs }) => {
    if (obs.kind !== "Application" || !obs.uid) return [];
    const details = obs.details as DeployDetails;
    return details.history.slice(-3).flatMap((entry) => {
      const revision = entry.revisions[0];
      if (!revision || revision === details.revision || !entry.deployedAt) return [];
      return [{ cluster, uid: `${obs.uid}@${revision}`, finished_at: entry.deployedAt }];
    });
  });
  if (settled.length === 0) return [];
  const updated = await db.query<{ id: bigint; commit_id: bigint | null }>(
    `update resources r set status = 'succeeded', finished_at = v.finished_at, observed_at = $2
       from jsonb_to_recordset($1::jsonb) as v(cluster text, uid text, finished_at timestamptz)
      where r.cluster = v.cluster and r.uid = v.uid and r.status <> all($3::text[])
     returning r.id, r.commit_id`,
    [JSON.stringify(settled), now.toISOString(), FINAL],
  );
  if (updated.rows.length > 0) {
    await db.query(
      `insert into transitions (resource_id, status, reason, at)
       select id, 'succeeded', 'superseded', $2 from unnest($1::bigint[]) as id`,
      [updated.rows.map((row) => row.id), now.toISOString()],
    );
  }
  return updated.rows.flatMap((row) => (row.commit_id === null ? [] : [row.commit_id]));
}
