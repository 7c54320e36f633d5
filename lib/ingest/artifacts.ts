// Harbor artifacts and their scans: one row per repository and digest, merged from pushes, scans
// and the reconcile poll.
import type { Queryable } from "../db/pool";
import type { Observation, ScanDetails } from "../sources/types";

// Reordered webhooks must not undo a finished scan: a non-final scan state replaces a final one
// only when it belongs to a scan that started later (a rescan).
const TAKE_SCAN = `excluded.scan_status is not null and (
  artifacts.scan_status is null
  or artifacts.scan_status not in ('succeeded', 'failed', 'cancelled')
  or excluded.scan_status in ('succeeded', 'failed', 'cancelled')
  or (excluded.scan_summary->>'startedAt')::timestamptz > (artifacts.scan_summary->>'startedAt')::timestamptz)`;

// How each column merges an incoming observation (`excluded`) into the stored row.
const MERGE = {
  registry: "case when excluded.registry <> '' then excluded.registry else artifacts.registry end",
  tags: "array(select distinct t from unnest(artifacts.tags || excluded.tags) as t order by t)",
  pushed_at: "coalesce(artifacts.pushed_at, excluded.pushed_at)",
  scan_status: `case when ${TAKE_SCAN} then excluded.scan_status else artifacts.scan_status end`,
  severity: `case when ${TAKE_SCAN} then excluded.severity else artifacts.severity end`,
  scan_summary: `case when ${TAKE_SCAN} then excluded.scan_summary else artifacts.scan_summary end`,
  scanner: "coalesce(excluded.scanner, artifacts.scanner)",
  revision: "coalesce(artifacts.revision, excluded.revision)",
  deleted_at: "coalesce(excluded.deleted_at, artifacts.deleted_at)",
};
const columns = Object.keys(MERGE);
const expressions = Object.values(MERGE);
const SET = columns.map((column, i) => `${column} = ${expressions[i]}`).join(",\n       ");
// A row is written only when the merge changes it: a re-delivery (every reconcile poll) costs no
// write, and the caller learns that nothing changed.
const DIFFERS = `(${columns.map((column) => `artifacts.${column}`).join(", ")})
       is distinct from (${expressions.join(", ")})`;

export type ArtifactRow = {
  id: bigint;
  repository: string;
  digest: string;
  tags: string[];
  commitId: bigint | null;
  revision: string | null;
  /** Inserted, or some column took a new value; false for a re-delivery of what is stored. */
  changed: boolean;
};

type Stored = {
  id: bigint;
  repository: string;
  digest: string;
  tags: string[];
  commit_id: bigint | null;
  revision: string | null;
};

/** Artifact (push, tags) and Scan observations merge into one row per repository and digest. */
export async function upsertArtifact(db: Queryable, obs: Observation): Promise<ArtifactRow | null> {
  const digest = obs.digests[0];
  const repository = obs.repository;
  if (!digest || !repository) return null;
  const project = repository.split("/")[0];
  const registry = obs.imageRefs[0]?.registry ?? "";
  const isScan = obs.kind === "Scan";
  const scan = isScan ? (obs.details as ScanDetails) : null;
  const image = obs.details.type === "image" ? obs.details : null;
  // Tags are stored sorted and distinct, as the merge leaves them, so a re-delivery compares equal.
  const result = await db.query<Stored>(
    `insert into artifacts (registry, project, repository, digest, tags, pushed_at, scan_status, severity,
                            scan_summary, scanner, revision, deleted_at, updated_at)
     values ($1, $2, $3, $4, array(select distinct t from unnest($5::text[]) as t order by t),
             $6, $7, $8, $9, $10, $11, $12, now())
     on conflict (repository, digest) do update set
       ${SET},
       updated_at = now()
     where ${DIFFERS}
     returning id, repository, digest, tags, commit_id, revision`,
    [
      registry,
      project,
      repository,
      digest,
      image?.tags ?? [],
      image?.pushedAt ?? null,
      isScan ? obs.status : null,
      scan?.severity ?? null,
      scan
        ? JSON.stringify({
            ...scan,
            startedAt: obs.startedAt,
            finishedAt: obs.finishedAt,
            reason: obs.reason,
          })
        : null,
      scan?.scanner?.name ?? null,
      obs.revision?.sha ?? null,
      image?.deleted ? new Date() : null,
    ],
  );
  const changed = result.rows.length > 0;
  // Unchanged: the conflicting row is locked but not returned, so read it.
  const row = changed
    ? result.rows[0]
    : (
        await db.query<Stored>(
          `select id, repository, digest, tags, commit_id, revision from artifacts
            where repository = $1 and digest = $2`,
          [repository, digest],
        )
      ).rows[0];
  return {
    id: row.id,
    repository: row.repository,
    digest: row.digest,
    tags: row.tags,
    commitId: row.commit_id,
    revision: row.revision,
    changed,
  };
}
