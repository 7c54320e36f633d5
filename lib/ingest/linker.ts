// Ties stored resources and artifacts to commits, in whichever order the facts arrive: each new
// link hands its keys (digests, manifests revisions, its PipelineRun) to the rows that wait for
// them. Work goes in rounds, a few set-based queries per round for the whole batch; every query
// is an indexed lookup by key, history is never scanned.
import type { Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import {
  LINK_RULES,
  decideLink,
  lookupKeys,
  ownsDigests,
  ownsManifests,
  liveImagesAreTheTarget,
  manifestsOwnerFor,
  type Facts,
  type LinkRule,
  type ManifestsOwner,
} from "../timeline/correlate";

export type Linkable =
  | {
      type: "resource";
      id: bigint;
      cluster: string;
      environment?: string | null;
      observation: Observation;
    }
  | { type: "artifact"; id: bigint; observation: Observation };

export type Linked = { item: Linkable; commitId: bigint; rule?: LinkRule };
type Candidate = { item: Linkable; commitId: bigint; rule: LinkRule; evidence: string };
type Row = {
  id: bigint;
  cluster: string;
  commit_id: bigint | null;
  environment: string | null;
  observation: Observation;
};

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v));
const uniq = <T>(values: T[]) => [...new Set(values)];

async function facts(db: Queryable, items: Linkable[]): Promise<Facts> {
  const keys = items.map((item) => ({ item, keys: lookupKeys(item.observation) }));
  const shas = uniq(keys.flatMap((k) => k.keys.shas));
  const tags = uniq(keys.flatMap((k) => k.keys.tags));
  const manifests = uniq(keys.flatMap((k) => k.keys.manifests));

  const commitsBySha = new Map<string, bigint>();
  if (shas.length > 0) {
    const rows = await db.query<{ id: bigint; sha: string }>(
      "select id, sha from commits where sha = any($1::text[])",
      [shas],
    );
    for (const row of rows.rows) commitsBySha.set(row.sha, row.id);
  }
  const tagDigests = new Map<string, string>();
  if (tags.length > 0) {
    const rows = await db.query<{ tag: string; digest: string }>(
      `select a.repository || ':' || t as tag, a.digest from artifacts a, unnest(a.tags) t
        where a.tags && $1::text[] and a.repository || ':' || t = any($2::text[])`,
      [uniq(tags.map((tag) => tag.slice(tag.lastIndexOf(":") + 1))), tags],
    );
    for (const row of rows.rows) tagDigests.set(row.tag, row.digest);
  }
  const digests = uniq([...keys.flatMap((k) => k.keys.digests), ...tagDigests.values()]);
  const digestOwners = new Map<string, bigint>();
  if (digests.length > 0) {
    const rows = await db.query<{ digest: string; commit_id: bigint }>(
      `select d as digest, r.commit_id from resources r, unnest(r.digests) d
        where r.digests && $1::text[] and d = any($1::text[]) and r.commit_id is not null
          and r.system = 'kpack' and r.kind = 'Build'
       union all
       select digest, commit_id from artifacts where digest = any($1::text[]) and commit_id is not null`,
      [digests],
    );
    for (const row of rows.rows)
      if (!digestOwners.has(row.digest)) digestOwners.set(row.digest, row.commit_id);
  }
  const manifestsOwners = new Map<string, ManifestsOwner[]>();
  if (manifests.length > 0) {
    const rows = await db.query<{
      sha: string;
      commit_id: bigint;
      app: string;
      environment: string | null;
    }>(
      `select distinct m as sha, r.commit_id, a.name as app, r.environment
         from resources r cross join unnest(r.manifests_revisions) m
         join commits c on c.id = r.commit_id join apps a on a.id = c.app_id
        where r.manifests_revisions && $1::text[] and m = any($1::text[]) and r.system = 'tekton'`,
      [manifests],
    );
    for (const row of rows.rows) {
      manifestsOwners.set(row.sha, [
        ...(manifestsOwners.get(row.sha) ?? []),
        { commitId: row.commit_id, app: row.app, environment: row.environment },
      ]);
    }
  }
  const parents = new Map<string, bigint>();
  const wanted = keys.flatMap((k) =>
    k.keys.parentKey && k.item.type === "resource"
      ? [{ cluster: k.item.cluster, key: k.keys.parentKey }]
      : [],
  );
  if (wanted.length > 0) {
    const rows = await db.query<{ key: string; commit_id: bigint }>(
      `select r.key, r.commit_id from resources r join jsonb_to_recordset($1::jsonb) as w(cluster text, key text)
          on r.cluster = w.cluster and r.key = w.key
        where r.commit_id is not null`,
      [json(wanted)],
    );
    for (const row of rows.rows) parents.set(row.key, row.commit_id);
  }
  return { commitsBySha, digestOwners, tagDigests, manifestsOwners, parents };
}

/**
 * Links the candidates that are still unlinked and returns those. A candidate already linked to
 * the same commit keeps the strongest rule, so the recorded rule does not depend on arrival order.
 * An Application linked to another commit moves when stronger evidence arrives (its images said
 * one commit before the manifests revision of another arrived); it has no dependents to take along.
 * `moved` collects the commits that lost a row.
 */
async function linkAll(
  db: Queryable,
  candidates: Candidate[],
  moved: Set<bigint> = new Set(),
): Promise<Linked[]> {
  const best = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const id = `${candidate.item.type}:${candidate.item.id}`;
    const prior = best.get(id);
    if (!prior || LINK_RULES.indexOf(candidate.rule) < LINK_RULES.indexOf(prior.rule))
      best.set(id, candidate);
  }
  const all = [...best.values()];
  if (all.length === 0) return [];
  const movable = all.filter(
    (c) => c.item.type === "resource" && c.item.observation.kind === "Application",
  );
  if (movable.length > 0) {
    const rows = await db.query<{ id: bigint; old: bigint }>(
      `with v as (select * from jsonb_to_recordset($1::jsonb) as v(id text, commit_id text, rule text))
       , weaker as (
         select l.id as link_id, l.to_id, l.from_id from links l join v on l.to_type = 'resource' and l.to_id = v.id::bigint
          where l.from_type = 'commit' and l.from_id <> v.commit_id::bigint
            and array_position($2::text[], l.rule) > array_position($2::text[], v.rule))
       , dropped as (delete from links where id in (select link_id from weaker))
       update resources r set commit_id = null from weaker w where r.id = w.to_id and r.commit_id = w.from_id
       returning r.id, w.from_id as old`,
      [
        json(movable.map((c) => ({ id: c.item.id, commit_id: c.commitId, rule: c.rule }))),
        [...LINK_RULES],
      ],
    );
    for (const row of rows.rows) moved.add(row.old);
  }
  const newly: Linked[] = [];
  for (const type of ["resource", "artifact"] as const) {
    const ofType = all.filter((c) => c.item.type === type);
    if (ofType.length === 0) continue;
    const updated = await db.query<{ id: bigint }>(
      `update ${type === "resource" ? "resources" : "artifacts"} t set commit_id = v.commit_id::bigint
         from jsonb_to_recordset($1::jsonb) as v(id text, commit_id text)
        where t.id = v.id::bigint and t.commit_id is null
       returning t.id`,
      [json(ofType.map((c) => ({ id: c.item.id, commit_id: c.commitId })))],
    );
    const linkedIds = new Set(updated.rows.map((row) => row.id));
    for (const c of ofType)
      if (linkedIds.has(c.item.id))
        newly.push({ item: c.item, commitId: c.commitId, rule: c.rule });
  }
  const rows = all.map((c) => ({
    commit_id: c.commitId,
    to_type: c.item.type,
    to_id: c.item.id,
    rule: c.rule,
    evidence: c.evidence,
  }));
  await db.query(
    `with v as (select * from jsonb_to_recordset($1::jsonb) as v(commit_id text, to_type text, to_id text, rule text, evidence text))
     , upgraded as (
       update links l set rule = v.rule, evidence = v.evidence from v
        where l.from_type = 'commit' and l.from_id = v.commit_id::bigint and l.to_type = v.to_type and l.to_id = v.to_id::bigint
          and array_position($2::text[], l.rule) > array_position($2::text[], v.rule))
     insert into links (from_type, from_id, to_type, to_id, rule, evidence)
     select 'commit', v.commit_id::bigint, v.to_type, v.to_id::bigint, v.rule, v.evidence from v
       where (v.to_type = 'resource' and exists (select 1 from resources r where r.id = v.to_id::bigint and r.commit_id = v.commit_id::bigint))
          or (v.to_type = 'artifact' and exists (select 1 from artifacts a where a.id = v.to_id::bigint and a.commit_id = v.commit_id::bigint))
     on conflict (from_type, from_id, to_type, to_id) do nothing`,
    [json(rows), [...LINK_RULES]],
  );
  return newly;
}

/** Rows (unlinked, or linked to the same commit) that the keys of newly linked items tie to it. */
async function dependents(db: Queryable, frontier: Linked[]): Promise<Candidate[]> {
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
      });
    }
  };

  const byDigest = new Map<string, bigint>();
  for (const { item, commitId } of frontier)
    if (ownsDigests(item.observation))
      for (const d of item.observation.digests) byDigest.set(d, commitId);
  if (byDigest.size > 0) {
    const digests = [...byDigest.keys()];
    const rows = await db.query<Row>(
      `select id, cluster, commit_id, environment, observation from resources
        where digests && $1::text[] and not (system = 'kpack' and kind = 'Build')`,
      [digests],
    );
    for (const row of rows.rows) {
      if (row.observation.kind === "Application" && !liveImagesAreTheTarget(row.observation))
        continue;
      const digest = row.observation.digests.find((d) => byDigest.has(d)) as string;
      accept(row, byDigest.get(digest) as bigint, "digest", digest);
    }
    const artifacts = await db.query<{
      id: bigint;
      repository: string;
      digest: string;
      commit_id: bigint | null;
    }>("select id, repository, digest, commit_id from artifacts where digest = any($1::text[])", [
      digests,
    ]);
    for (const row of artifacts.rows) {
      const commitId = byDigest.get(row.digest) as bigint;
      if (row.commit_id !== null && row.commit_id !== commitId) continue;
      const observation = {
        system: "harbor",
        kind: "Artifact",
        digests: [row.digest],
        repository: row.repository,
      } as Observation;
      out.push({
        item: { type: "artifact", id: row.id, observation },
        commitId,
        rule: "digest",
        evidence: row.digest,
      });
    }
  }

  const byTag = new Map<string, { commitId: bigint; digest: string }>();
  for (const { item, commitId } of frontier) {
    const obs = item.observation;
    if (item.type !== "artifact" || obs.details?.type !== "image") continue;
    for (const tag of obs.details.tags)
      byTag.set(`${obs.repository}:${tag}`, { commitId, digest: obs.digests[0] });
  }
  if (byTag.size > 0) {
    const rows = await db.query<Row>(
      "select id, cluster, commit_id, environment, observation from resources where image_tags && $1::text[]",
      [[...byTag.keys()]],
    );
    for (const row of rows.rows) {
      const tag = row.observation.imageRefs
        .map((r) => `${r.repository}:${r.tag}`)
        .find((t) => byTag.has(t));
      if (!tag) continue;
      const owner = byTag.get(tag) as { commitId: bigint; digest: string };
      accept(row, owner.commitId, "tag", `${tag} → ${owner.digest}`);
    }
  }

  const byManifests = new Map<string, ManifestsOwner[]>();
  const manifestsFrontier = frontier.filter(
    ({ item }) => ownsManifests(item.observation) && item.observation.manifestsRevisions.length > 0,
  );
  if (manifestsFrontier.length > 0) {
    const apps = await db.query<{ id: bigint; app: string }>(
      "select c.id, a.name as app from commits c join apps a on a.id = c.app_id where c.id = any($1::bigint[])",
      [[...new Set(manifestsFrontier.map(({ commitId }) => commitId))]],
    );
    const appOf = new Map(apps.rows.map((row) => [row.id, row.app]));
    for (const { item, commitId } of manifestsFrontier) {
      const environment = item.type === "resource" ? (item.environment ?? null) : null;
      for (const rev of item.observation.manifestsRevisions) {
        byManifests.set(rev.sha, [
          ...(byManifests.get(rev.sha) ?? []),
          { commitId, app: appOf.get(commitId) ?? "", environment },
        ]);
      }
    }
    const rows = await db.query<Row>(
      `select id, cluster, commit_id, environment, observation from resources
        where manifests_revisions && $1::text[] and kind = 'Application'`,
      [[...byManifests.keys()]],
    );
    for (const row of rows.rows) {
      for (const rev of row.observation.manifestsRevisions) {
        const owner = manifestsOwnerFor(row.observation, row.environment, byManifests.get(rev.sha));
        if (owner) {
          accept(row, owner.commitId, "manifests-revision", rev.sha);
          break;
        }
      }
    }
  }

  // A PipelineRun hands its commit to its tasks; a task tied by its own evidence (not through
  // its PipelineRun) hands it to its PipelineRun.
  const runs: { cluster: string; key: string; commitId: bigint; evidence: string }[] = [];
  const tasks: { cluster: string; key: string; commitId: bigint; evidence: string }[] = [];
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
  for (const [list, column, rule] of [
    [runs, "parent_key", "parent"],
    [tasks, "key", "task-result"],
  ] as const) {
    if (list.length === 0) continue;
    const rows = await db.query<Row & { wanted: string }>(
      `select r.id, r.cluster, r.commit_id, r.environment, r.observation, w.cluster || ' ' || w.key as wanted
         from resources r join jsonb_to_recordset($1::jsonb) as w(cluster text, key text)
           on r.cluster = w.cluster and r.${column} = w.key`,
      [json(list.map(({ cluster, key }) => ({ cluster, key })))],
    );
    const owners = new Map(list.map((entry) => [`${entry.cluster} ${entry.key}`, entry]));
    for (const row of rows.rows) {
      const owner = owners.get(row.wanted);
      if (owner) accept(row, owner.commitId, rule, owner.evidence);
    }
  }
  return out;
}

/**
 * Follows links to the rows they unblock, round by round. Also for rows linked before whose keys
 * are new (a Build that only now reports its digest). Each row links once, so this ends.
 */
export async function propagateFrom(db: Queryable, linked: Linked[]): Promise<Set<bigint>> {
  const touched = new Set<bigint>();
  let frontier = linked;
  while (frontier.length > 0) {
    frontier = await linkAll(db, await dependents(db, frontier), touched);
    for (const { commitId } of frontier) touched.add(commitId);
  }
  return touched;
}

/** Links what can be linked among `items`, then what that unblocks. Returns the commits touched. */
export async function correlate(db: Queryable, items: Linkable[]): Promise<Set<bigint>> {
  if (items.length === 0) return new Set();
  const known = await facts(db, items);
  const candidates = items.flatMap((item) => {
    const decision = decideLink(
      item.observation,
      known,
      item.type === "resource" ? (item.environment ?? null) : null,
    );
    return decision ? [{ item, ...decision }] : [];
  });
  const moved = new Set<bigint>();
  const linked = await linkAll(db, candidates, moved);
  const touched = await propagateFrom(db, linked);
  for (const { commitId } of linked) touched.add(commitId);
  for (const commitId of moved) touched.add(commitId);
  return touched;
}

/** Rows that were waiting for commits that have just been created. */
export async function waitingForCommits(db: Queryable, shas: string[]): Promise<Linkable[]> {
  if (shas.length === 0) return [];
  const rows = await db.query<Row>(
    "select id, cluster, commit_id, environment, observation from resources where revision = any($1::text[]) and commit_id is null",
    [shas],
  );
  const artifacts = await db.query<{
    id: bigint;
    repository: string;
    digest: string;
    revision: string;
  }>(
    "select id, repository, digest, revision from artifacts where revision = any($1::text[]) and commit_id is null",
    [shas],
  );
  return [
    ...rows.rows.map((row): Linkable => ({
      type: "resource",
      id: row.id,
      cluster: row.cluster,
      environment: row.environment,
      observation: row.observation,
    })),
    ...artifacts.rows.map((row): Linkable => ({
      type: "artifact",
      id: row.id,
      // Enough of an observation for decideLink: an artifact found by the revision in its OCI labels.
      observation: {
        system: "harbor",
        kind: "Artifact",
        digests: [row.digest],
        repository: row.repository,
        revision: { sha: row.revision, repoUrl: null, ref: null },
        labels: { commit: null },
        imageRefs: [],
        manifestsRevisions: [],
        parent: null,
      } as unknown as Observation,
    })),
  ];
}
