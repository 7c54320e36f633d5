// Harbor artifacts and their scans: one row per repository and digest, merged from pushes, scans
// and the reconcile poll.
import type { Queryable } from "../db/pool";
import { FINISHED_STATUSES, type Observation, type ScanDetails } from "../sources/types";

// Reordered webhooks must not undo a finished scan: a non-final scan state replaces a final one
// only when it belongs to a scan that started later (a rescan).
const FINISHED = FINISHED_STATUSES.map((s) => `'${s}'`).join(", ");
const TAKE_SCAN = `excluded.scan_status is not null and (
  artifacts.scan_status is null
  or artifacts.scan_status not in (${FINISHED})
  or excluded.scan_status in (${FINISHED})
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

export type StoredArtifact = {
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

/** The row an observation merges in, or null when it names no repository and digest. */
function artifactValues(obs: Observation) {
  const digest = obs.digests[0];
  const repository = obs.repository;
  if (!digest || !repository) return null;
  const isScan = obs.kind === "Scan";
  const scan = isScan ? (obs.details as ScanDetails) : null;
  const image = obs.details.type === "image" ? obs.details : null;
  return {
    registry: obs.imageRefs[0]?.registry ?? "",
    project: repository.split("/")[0],
    repository,
    digest,
    tags: image?.tags ?? [],
    pushed_at: image?.pushedAt ?? null,
    scan_status: isScan ? obs.status : null,
    severity: scan?.severity ?? null,
    scan_summary: scan
      ? { ...scan, startedAt: obs.startedAt, finishedAt: obs.finishedAt, reason: obs.reason }
      : null,
    scanner: scan?.scanner?.name ?? null,
    revision: obs.revision?.sha ?? null,
    deleted: image?.deleted ?? false,
  };
}

type Values = NonNullable<ReturnType<typeof artifactValues>>;

// One statement for a whole round. Tags are stored sorted and distinct, as the merge leaves them,
// so a re-delivery compares equal. A deletion is stamped with the transaction's time.
const UPSERT = `
  insert into artifacts (registry, project, repository, digest, tags, pushed_at, scan_status, severity,
                         scan_summary, scanner, revision, deleted_at, updated_at)
  select v.registry, v.project, v.repository, v.digest,
         array(select distinct t from unnest(v.tags) as t order by t),
         v.pushed_at, v.scan_status, v.severity, v.scan_summary, v.scanner, v.revision,
         case when v.deleted then now() end, now()
    from jsonb_to_recordset($1::jsonb) as v(registry text, project text, repository text, digest text,
         tags text[], pushed_at timestamp, scan_status text, severity text, scan_summary jsonb,
         scanner text, revision text, deleted boolean)
  on conflict (repository, digest) do update set
    ${SET},
    updated_at = now()
  where ${DIFFERS}
  returning id, repository, digest, tags, commit_id, revision`;

const keyOf = (repository: string, digest: string) => `${repository}\u0000${digest}`;

/**
 * Artifact (push, tags) and Scan observations merge into one row per repository and digest; the
 * result at each index is that row as the observation left it (null: no repository or digest).
 * Set-based, in rounds: a round holds at most one observation per artifact (Postgres updates a
 * row once per statement), and an artifact's observations go in their order, one round each,
 * exactly as if they had been merged one by one.
 */
export async function upsertArtifacts(
  db: Queryable,
  observations: Observation[],
): Promise<(StoredArtifact | null)[]> {
  const results: (StoredArtifact | null)[] = observations.map(() => null);
  const rounds: { index: number; values: Values }[][] = [];
  const seen = new Map<string, number>();
  observations.forEach((obs, index) => {
    const values = artifactValues(obs);
    if (!values) return;
    const key = keyOf(values.repository, values.digest);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push({ index, values });
  });
  for (const round of rounds) {
    const written = await db.query<Stored>(UPSERT, [JSON.stringify(round.map((r) => r.values))]);
    const changed = new Map(written.rows.map((row) => [keyOf(row.repository, row.digest), row]));
    const unchanged = round.filter(
      (r) => !changed.has(keyOf(r.values.repository, r.values.digest)),
    );
    // Unchanged rows are locked by the upsert but not returned: read them in one go.
    const stored =
      unchanged.length === 0
        ? []
        : (
            await db.query<Stored>(
              `select a.id, a.repository, a.digest, a.tags, a.commit_id, a.revision
                 from artifacts a join jsonb_to_recordset($1::jsonb) as k(repository text, digest text)
                   on a.repository = k.repository and a.digest = k.digest`,
              [
                JSON.stringify(
                  unchanged.map((r) => ({
                    repository: r.values.repository,
                    digest: r.values.digest,
                  })),
                ),
              ],
            )
          ).rows;
    const same = new Map(stored.map((row) => [keyOf(row.repository, row.digest), row]));
    for (const { index, values } of round) {
      const key = keyOf(values.repository, values.digest);
      const row = changed.get(key) ?? same.get(key);
      if (!row) throw new Error(`artifact ${values.repository}@${values.digest} was not stored`);
      results[index] = {
        id: row.id,
        repository: row.repository,
        digest: row.digest,
        tags: row.tags,
        commitId: row.commit_id,
        revision: row.revision,
        changed: changed.has(key),
      };
    }
  }
  return results;
}
