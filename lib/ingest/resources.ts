// Upserts of watched Kubernetes objects: one row per object (per revision for an Argo CD
// Application), stale resourceVersions ignored, a transition appended when the status changes.
import { copyRows, type CopyColumn } from "../db/copy";
import type { Queryable } from "../db/pool";
import { FINISHED_STATUSES, type DeployDetails, type Observation } from "../sources/types";
import { appNameOf, imageTagKeys, parentKeyOf } from "../timeline/correlate";

export type Scope = { cluster: string; environment: string | null };
export type ResourceInput = {
  scope: Scope;
  observation: Observation;
  object: unknown;
  deleted: boolean;
  /** The commit the linker decided before the write (a row already on a commit keeps its own). */
  commitId?: bigint | null;
};

export type WrittenResource = {
  id: bigint;
  cluster: string;
  observation: Observation;
  commitId: bigint | null;
  environment: string | null;
  /** The commit the row was on before this write (null: none, or a new row). */
  priorCommitId: bigint | null;
  changed: boolean; // the normalized status changed (or the row is new)
};

/** The row's identity within its cluster: the object's uid, per deployed revision for Applications. */
export function rowUid(obs: Observation): string {
  const uid = obs.uid ?? obs.key;
  if (obs.kind !== "Application") return uid;
  return `${uid}@${(obs.details as DeployDetails).revision ?? ""}`;
}

/** The environment a row records: the object's own label or field, else its cluster's. */
export function rowEnvironment({ observation: obs, scope }: ResourceInput): string | null {
  return obs.labels.environment ?? obs.environment ?? scope.environment;
}

/**
 * What is kept of a watched object: all of it but `metadata.managedFields`, the server-side-apply
 * bookkeeping that `kubectl get` hides as well and that is often a third of an object's bytes.
 */
export function storedObject(object: unknown): unknown {
  const metadata = (object as { metadata?: Record<string, unknown> } | null)?.metadata;
  if (!metadata || !("managedFields" in metadata)) return object;
  const { managedFields: _, ...rest } = metadata;
  return { ...(object as object), metadata: rest };
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
    object: storedObject(input.object),
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
    environment: rowEnvironment(input),
    deleted_at: input.deleted ? now.toISOString() : null,
  };
}

export type ResourceRowValues = ReturnType<typeof resourceRow>;

/** The columns of a row as the resources table types them, in the order COPY sends them. */
export const RESOURCE_COLUMNS = [
  ["system", "text"],
  ["kind", "text"],
  ["cluster", "text"],
  ["namespace", "text"],
  ["name", "text"],
  ["uid", "text"],
  ["key", "text"],
  ["resource_version", "text"],
  ["object", "jsonb"],
  ["observation", "jsonb"],
  ["stage", "text"],
  ["status", "text"],
  ["reason", "text"],
  ["started_at", "timestamptz"],
  ["finished_at", "timestamptz"],
  ["revision", "text"],
  ["digests", "text[]"],
  ["image_tags", "text[]"],
  ["manifests_revisions", "text[]"],
  ["parent_key", "text"],
  ["app_name", "text"],
  ["environment", "text"],
  ["deleted_at", "timestamptz"],
] as const satisfies readonly (readonly [keyof ResourceRowValues, CopyColumn[1]])[];

/** A row's values as COPY sends them, in RESOURCE_COLUMNS order. */
export function resourceValues(row: ResourceRowValues): unknown[] {
  return RESOURCE_COLUMNS.map(([name]) => row[name]);
}

/**
 * A batch's rows, encoded as they are staged in Postgres before the ingest lock is taken: parsing
 * the objects is most of a write, and staged, it runs while the batch before holds the lock.
 * `sent` keeps each row's observation by cluster + uid.
 */
export type StagedRows = { rows: ResourceRowValues[]; sent: Map<string, Observation> };

const rowId = (cluster: string, uid: string) => `${cluster}\u0000${uid}`;

/** The rows of a batch (already deduplicated by cluster + uid); null when there are none. */
export function encodeRows(inputs: ResourceInput[], now: Date): StagedRows | null {
  if (inputs.length === 0) return null;
  const rows = inputs.map((input) => resourceRow(input, now));
  return { rows, sent: new Map(rows.map((row) => [rowId(row.cluster, row.uid), row.observation])) };
}

// A temporary table per connection, emptied at every commit; `ord` is a row's place in the batch.
// Its objects are stored without compression: they are read back once, in the same transaction.
const STAGING = `
  create temporary table if not exists ingest_rows (
    ${RESOURCE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ")}, ord int
  ) on commit delete rows;
  alter table ingest_rows alter column object set storage external,
    alter column observation set storage external`;
const STAGED_COLUMNS: CopyColumn[] = [...RESOURCE_COLUMNS, ["ord", "int4"]];
const staging = new WeakSet<object>();

/** Streams the rows into this transaction's staging table (COPY: Postgres parses as they arrive). */
export async function stageRows(db: Queryable, staged: StagedRows): Promise<void> {
  if (!staging.has(db)) {
    await db.query(STAGING);
    staging.add(db);
  }
  // Each row is encoded as the stream asks for it, while Postgres parses the ones before.
  function* rows() {
    for (const [i, row] of staged.rows.entries()) yield [...resourceValues(row), i + 1];
  }
  await copyRows(db, "ingest_rows", STAGED_COLUMNS, rows());
}

// The whole write in one statement, from the staged rows. `fresh` keeps what is new to the store:
// an unknown object, a deletion not yet recorded, an object without a resourceVersion, or a
// version other than the stored one that is not older (Kubernetes resourceVersions are opaque,
// but in practice integers: they compare as numbers when both are).
// The upsert's own guard repeats that, and each row written gets a transition when its normalized
// status differs from the one stored before (or it is new). A row takes the commit decided for it
// ($1, by the row's place in the batch) unless it is on one already. Returns what was written with
// the status and commit it had before.
const UPSERT = `
  with r as (
    select s.*, ($1::bigint[])[s.ord] as commit_id from ingest_rows s
  ), fresh as (
    select r.*, b.status as prior_status, b.commit_id as prior_commit
      from r left join resources b on b.cluster = r.cluster and b.uid = r.uid
     where b.id is null
        or (r.deleted_at is not null and b.deleted_at is null)
        or r.resource_version is null
        or (r.resource_version is distinct from b.resource_version
            and not case when r.resource_version ~ '^[0-9]+$' and b.resource_version ~ '^[0-9]+$'
                         then r.resource_version::numeric <= b.resource_version::numeric
                         else false end)
  ), up as (
    insert into resources (system, kind, cluster, namespace, name, uid, key, resource_version, object, observation,
      stage, status, reason, started_at, finished_at, revision, digests, image_tags, manifests_revisions, parent_key,
      app_name, environment, deleted_at, observed_at, commit_id)
    select r.system, r.kind, r.cluster, r.namespace, r.name, r.uid, r.key, r.resource_version, r.object, r.observation,
      r.stage, r.status, r.reason, r.started_at, r.finished_at, r.revision, r.digests, r.image_tags,
      r.manifests_revisions, r.parent_key, r.app_name, r.environment,
      r.deleted_at, $2, r.commit_id
      from fresh r
    on conflict (cluster, uid) do update set
      namespace = excluded.namespace, name = excluded.name, key = excluded.key,
      resource_version = excluded.resource_version, object = excluded.object, observation = excluded.observation,
      stage = excluded.stage, status = excluded.status, reason = excluded.reason,
      started_at = excluded.started_at, finished_at = excluded.finished_at, revision = excluded.revision,
      digests = excluded.digests, image_tags = excluded.image_tags, manifests_revisions = excluded.manifests_revisions,
      parent_key = excluded.parent_key, app_name = coalesce(excluded.app_name, resources.app_name),
      environment = coalesce(excluded.environment, resources.environment),
      deleted_at = coalesce(excluded.deleted_at, resources.deleted_at), observed_at = excluded.observed_at,
      commit_id = coalesce(resources.commit_id, excluded.commit_id)
    where not (resources.resource_version ~ '^[0-9]+$' and excluded.resource_version ~ '^[0-9]+$'
               and resources.resource_version::numeric > excluded.resource_version::numeric)
    returning id, cluster, uid, commit_id, environment, status, reason
  ), written as (
    select up.*, f.prior_status, f.prior_commit from up join fresh f on f.cluster = up.cluster and f.uid = up.uid
  ), transitioned as (
    insert into transitions (resource_id, status, reason, at)
    select id, status, reason, $2 from written where prior_status is distinct from status
  )
  select id, cluster, uid, commit_id, environment, prior_status, prior_commit from written`;

/**
 * Writes the staged batch, each row on the commit decided for it (`commitIds`, in batch order).
 * Returns the rows that were written; duplicates and stale versions are left out and change nothing.
 */
export async function upsertResources(
  db: Queryable,
  staged: StagedRows | null,
  commitIds: (bigint | null | undefined)[],
  now: Date,
): Promise<WrittenResource[]> {
  if (!staged) return [];
  const written = await db.query<{
    id: bigint;
    cluster: string;
    uid: string;
    commit_id: bigint | null;
    environment: string | null;
    prior_status: string | null;
    prior_commit: bigint | null;
  }>(UPSERT, [commitIds.map((id) => (id == null ? null : String(id))), now.toISOString()]);
  // The observation written is the one sent: don't have Postgres send it back.
  return written.rows.map((row): WrittenResource => {
    const observation = staged.sent.get(rowId(row.cluster, row.uid)) as Observation;
    return {
      id: row.id,
      cluster: row.cluster,
      observation,
      commitId: row.commit_id,
      environment: row.environment,
      priorCommitId: row.prior_commit,
      changed: row.prior_status === null || row.prior_status !== observation.status,
    };
  });
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
    [JSON.stringify(settled), now.toISOString(), FINISHED_STATUSES],
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
