// The second half of a linking round: the rows that the keys of newly linked items tie to their
// commits (by digest, tag, manifests revision, parent or task), read in one statement.
import type { Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import {
  liveImagesAreTheTarget,
  lookupKeys,
  manifestsOwnerFor,
  ownsDigests,
  ownsManifests,
  type LinkRule,
  type ManifestsOwner,
} from "../timeline/correlate";
import { json, uniq, type Candidate, type Linked, type Row, type Settled } from "./link-types";

// Everything the keys of newly linked items may tie, in one statement, by `part` in order:
// 1 resources by digest (not Builds, which own digests), 2 artifacts by digest, 3 resources by
// image tag, 4 the apps of the commits that own manifests revisions, 5 Applications by manifests
// revision, 6 the tasks of PipelineRuns (by parent key), 7 the PipelineRuns of tasks (by key).
// Rows the batch settled ($7 resources, $8 artifacts: see Settled) are left out, except from the
// task-result rule (7), which the batch's decisions cannot see. The key arrays are indexed where
// they are not empty (a partial index): each lookup says so, or the planner could not use it.
export const DEPENDENTS = `
  select 1 as part, r.id, r.cluster, r.commit_id, r.environment, r.observation, null as wanted
    from resources r
   where cardinality($1::text[]) > 0 and r.digests <> '{}' and r.digests && $1::text[] and not (r.system = 'kpack' and r.kind = 'Build')
     and r.id <> all($7::bigint[])
  union all
  select 2, a.id, null, a.commit_id, null, jsonb_build_object('repository', a.repository, 'digest', a.digest), null
    from artifacts a where a.digest = any($1::text[]) and a.id <> all($8::bigint[])
  union all
  select 3, r.id, r.cluster, r.commit_id, r.environment, r.observation, null
    from resources r where cardinality($2::text[]) > 0 and r.image_tags <> '{}' and r.image_tags && $2::text[] and r.id <> all($7::bigint[])
  union all
  select 4, c.id, null, null, null, null, ap.name
    from commits c join apps ap on ap.id = c.app_id where c.id = any($3::bigint[])
  union all
  select 5, r.id, r.cluster, r.commit_id, r.environment, r.observation, null
    from resources r
   where cardinality($4::text[]) > 0 and r.manifests_revisions <> '{}' and r.manifests_revisions && $4::text[] and r.kind = 'Application'
     and r.id <> all($7::bigint[])
  union all
  select 6, r.id, r.cluster, r.commit_id, r.environment, r.observation, w.cluster || ' ' || w.key
    from resources r join jsonb_to_recordset($5::jsonb) as w(cluster text, key text)
      on r.cluster = w.cluster and r.parent_key = w.key
   where r.id <> all($7::bigint[])
  union all
  select 7, r.id, r.cluster, r.commit_id, r.environment, r.observation, w.cluster || ' ' || w.key
    from resources r join jsonb_to_recordset($6::jsonb) as w(cluster text, key text)
      on r.cluster = w.cluster and r.key = w.key
  order by part`;

type Owner = { cluster: string; key: string; commitId: bigint; evidence: string };

/**
 * Rows (unlinked, or linked to the same commit) that the keys of newly linked items tie to it.
 * `settled`: rows this batch linked with every fact it holds.
 */
export async function dependents(
  db: Queryable,
  frontier: Linked[],
  settled: Settled = { resources: [], artifacts: [] },
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const accept = (row: Row, commitId: bigint, rule: LinkRule, evidence: string) => {
    const movable = row.observation.kind === "Application";
    if (row.commit_id === null || row.commit_id === commitId || movable) {
      out.push({
        item: {
          type: "resource",
          id: row.id,
          cluster: row.cluster,
          environment: row.environment,
          observation: row.observation,
        },
        commitId,
        rule,
        evidence,
        current: row.commit_id,
      });
    }
  };

  const byDigest = new Map<string, bigint>();
  for (const { item, commitId } of frontier)
    if (ownsDigests(item.observation))
      for (const d of item.observation.digests) byDigest.set(d, commitId);

  const byTag = new Map<string, { commitId: bigint; digest: string }>();
  for (const { item, commitId } of frontier) {
    const obs = item.observation;
    if (item.type !== "artifact" || obs.details?.type !== "image") continue;
    for (const tag of obs.details.tags)
      byTag.set(`${obs.repository}:${tag}`, { commitId, digest: obs.digests[0] });
  }

  const manifestsFrontier = frontier.filter(
    ({ item }) => ownsManifests(item.observation) && item.observation.manifestsRevisions.length > 0,
  );
  const manifests = uniq(
    manifestsFrontier.flatMap(({ item }) => item.observation.manifestsRevisions.map((r) => r.sha)),
  );

  // A PipelineRun hands its commit to its tasks; a task tied by its own evidence (not through
  // its PipelineRun) hands it to its PipelineRun.
  const runs: Owner[] = [];
  const tasks: Owner[] = [];
  for (const { item, commitId, rule } of frontier) {
    if (item.type !== "resource") continue;
    const obs = item.observation;
    if (obs.kind === "PipelineRun")
      runs.push({
        cluster: item.cluster,
        key: obs.key,
        commitId,
        evidence: `${obs.namespace}/${obs.name}`,
      });
    const parentKey = rule === "parent" ? null : lookupKeys(obs).parentKey;
    if (parentKey)
      tasks.push({
        cluster: item.cluster,
        key: parentKey,
        commitId,
        evidence: `${obs.kind} ${obs.namespace}/${obs.name}`,
      });
  }
  if (byDigest.size + byTag.size + manifests.length + runs.length + tasks.length === 0) return out;

  const keysOf = (list: Owner[]) => json(list.map(({ cluster, key }) => ({ cluster, key })));
  const { rows } = await db.query<Row & { part: number; wanted: string | null }>(DEPENDENTS, [
    [...byDigest.keys()],
    [...byTag.keys()],
    uniq(manifestsFrontier.map(({ commitId }) => commitId)),
    manifests,
    keysOf(runs),
    keysOf(tasks),
    settled.resources,
    settled.artifacts,
  ]);
  const part = (n: number) => rows.filter((row) => row.part === n);

  for (const row of part(1)) {
    if (row.observation.kind === "Application" && !liveImagesAreTheTarget(row.observation))
      continue;
    const digest = row.observation.digests.find((d) => byDigest.has(d)) as string;
    accept(row, byDigest.get(digest) as bigint, "digest", digest);
  }
  for (const row of part(2)) {
    const { repository, digest } = row.observation as unknown as {
      repository: string;
      digest: string;
    };
    const commitId = byDigest.get(digest) as bigint;
    if (row.commit_id !== null && row.commit_id !== commitId) continue;
    const observation = { system: "harbor", kind: "Artifact", digests: [digest], repository };
    out.push({
      item: { type: "artifact", id: row.id, observation: observation as Observation },
      commitId,
      rule: "digest",
      evidence: digest,
    });
  }
  for (const row of part(3)) {
    const tag = row.observation.imageRefs
      .map((r) => `${r.repository}:${r.tag}`)
      .find((t) => byTag.has(t));
    if (!tag) continue;
    const owner = byTag.get(tag) as { commitId: bigint; digest: string };
    accept(row, owner.commitId, "tag", `${tag} → ${owner.digest}`);
  }

  if (manifestsFrontier.length > 0) {
    const appOf = new Map(part(4).map((row) => [row.id, row.wanted as string]));
    const byManifests = new Map<string, ManifestsOwner[]>();
    for (const { item, commitId } of manifestsFrontier) {
      const environment = item.type === "resource" ? (item.environment ?? null) : null;
      for (const rev of item.observation.manifestsRevisions) {
        byManifests.set(rev.sha, [
          ...(byManifests.get(rev.sha) ?? []),
          { commitId, app: appOf.get(commitId) ?? "", environment },
        ]);
      }
    }
    for (const row of part(5)) {
      for (const rev of row.observation.manifestsRevisions) {
        const owner = manifestsOwnerFor(row.observation, row.environment, byManifests.get(rev.sha));
        if (owner) {
          accept(row, owner.commitId, "manifests-revision", rev.sha);
          break;
        }
      }
    }
  }

  for (const [list, n, rule] of [
    [runs, 6, "parent"],
    [tasks, 7, "task-result"],
  ] as const) {
    const owners = new Map(list.map((entry) => [`${entry.cluster} ${entry.key}`, entry]));
    for (const row of part(n)) {
      const owner = owners.get(row.wanted as string);
      if (owner) accept(row, owner.commitId, rule, owner.evidence);
    }
  }
  return out;
}
