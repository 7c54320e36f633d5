// Ties resources and artifacts to commits, in whichever order the facts arrive. A batch's links
// are decided before it is written (one read of the facts its keys name, lib/timeline/decide-batch),
// so most rows enter the store on their commit; then each new link hands its keys (digests,
// manifests revisions, its PipelineRun) to stored rows that wait for them. Work goes in rounds, a
// few set-based queries per round for the whole batch; every query is an indexed lookup by key,
// history is never scanned.
import type { Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import {
  LINK_RULES,
  lookupKeys,
  type LinkDecision,
  type ManifestsOwner,
} from "../timeline/correlate";
import { decideBatch, type StoredFacts, type Subject } from "../timeline/decide-batch";
import { dependents } from "./dependents";
import {
  json,
  uniq,
  type Candidate,
  type Linkable,
  type Linked,
  type Row,
  type Settled,
} from "./link-types";

export type { Linkable, Linked } from "./link-types";

// Every fact decideLink may ask about, for a whole batch, in one statement: commits by SHA (with
// their apps), the digests Harbor gives tags, the commits that own digests (kpack Builds first,
// then artifacts), the commits whose pipelines wrote manifests revisions, and the commits of
// parent resources (by cluster). `part` keeps the kinds apart and in that order. The key arrays
// of resources are indexed where they are not empty: each lookup says so, or it could not use them.
export const FACTS = `
  with tag_digests as (
    select a.repository || ':' || t as k, a.digest as v from artifacts a, unnest(a.tags) t
     where cardinality($2::text[]) > 0 and a.tags && $2::text[] and a.repository || ':' || t = any($3::text[])
  ), digests as (
    select array(select unnest($4::text[]) union select v from tag_digests) as wanted
  )
  select 1 as part, c.sha as k, c.id as commit_id, ap.name as v, null as v2
    from commits c join apps ap on ap.id = c.app_id where c.sha = any($1::text[])
  union all
  select 2, k, null, v, null from tag_digests
  union all
  select 3, d, r.commit_id, null, null from resources r, unnest(r.digests) d
   where r.digests <> '{}' and r.digests && (select wanted from digests) and d = any((select wanted from digests)::text[])
     and r.commit_id is not null
     and r.system = 'kpack' and r.kind = 'Build'
  union all
  select 4, a.digest, a.commit_id, null, null from artifacts a
   where a.digest = any((select wanted from digests)::text[]) and a.commit_id is not null
  union all
  select distinct 5, m, r.commit_id, ap.name, r.environment
    from resources r cross join unnest(r.manifests_revisions) m
    join commits c on c.id = r.commit_id join apps ap on ap.id = c.app_id
   where cardinality($5::text[]) > 0 and r.manifests_revisions <> '{}' and r.manifests_revisions && $5::text[] and m = any($5::text[])
     and r.system = 'tekton'
  union all
  select 6, r.key, r.commit_id, r.cluster, null
    from resources r join jsonb_to_recordset($6::jsonb) as w(cluster text, key text)
      on r.cluster = w.cluster and r.key = w.key
   where r.commit_id is not null
  order by part`;

async function facts(db: Queryable, subjects: Subject[]): Promise<StoredFacts> {
  const keys = subjects.map((subject) => ({ subject, keys: lookupKeys(subject.observation) }));
  const tags = uniq(keys.flatMap((k) => k.keys.tags));
  const wanted = keys.flatMap(({ subject: { cluster }, keys: { parentKey } }) =>
    parentKey && cluster !== null ? [{ cluster, key: parentKey }] : [],
  );
  const { rows } = await db.query<{
    part: number;
    k: string;
    commit_id: bigint | null;
    v: string | null;
    v2: string | null;
  }>(FACTS, [
    uniq(keys.flatMap((k) => k.keys.shas)),
    uniq(tags.map((tag) => tag.slice(tag.lastIndexOf(":") + 1))),
    tags,
    uniq(keys.flatMap((k) => k.keys.digests)),
    uniq(keys.flatMap((k) => k.keys.manifests)),
    json(wanted),
  ]);
  const commitsBySha = new Map<string, bigint>();
  const commitApps = new Map<bigint, string>();
  const tagDigests = new Map<string, string>();
  const digestOwners = new Map<string, bigint>();
  const manifestsOwners = new Map<string, ManifestsOwner[]>();
  const parents = new Map<string, Map<string, bigint>>();
  for (const row of rows) {
    const commitId = row.commit_id as bigint;
    if (row.part === 1) {
      commitsBySha.set(row.k, commitId);
      commitApps.set(commitId, row.v as string);
    } else if (row.part === 2) tagDigests.set(row.k, row.v as string);
    else if (row.part === 3 || row.part === 4) {
      if (!digestOwners.has(row.k)) digestOwners.set(row.k, commitId);
    } else if (row.part === 5) {
      manifestsOwners.set(row.k, [
        ...(manifestsOwners.get(row.k) ?? []),
        { commitId, app: row.v as string, environment: row.v2 },
      ]);
    } else {
      const cluster = row.v as string;
      parents.set(cluster, (parents.get(cluster) ?? new Map()).set(row.k, commitId));
    }
  }
  return { commitsBySha, commitApps, digestOwners, tagDigests, manifestsOwners, parents };
}

/**
 * The commits of a batch's objects (stored rows waiting to link, artifacts, and resources not
 * yet written), decided from one read of what the store knows plus what the batch establishes.
 */
export async function decideLinks(
  db: Queryable,
  subjects: Subject[],
): Promise<(LinkDecision | null)[]> {
  if (subjects.length === 0) return [];
  return decideBatch(subjects, await facts(db, subjects));
}

// One statement: unlinked rows take their commit, and a link is recorded for every row now on
// that commit — whether it was before this statement (its snapshot) or this statement put it
// there (the updates' returning rows). A link already recorded takes the stronger rule: it is
// found by its unique key, as the insert's conflict (a row carries links only from the commit it
// is on, so an existing link passes the same test). Returns the rows this statement linked.
export const LINK = `
  with v as (
    select v.commit_id::bigint as commit_id, v.to_type, v.to_id::bigint as to_id, v.rule, v.evidence
      from jsonb_to_recordset($1::jsonb) as v(commit_id text, to_type text, to_id text, rule text, evidence text)
  ), linked_resources as (
    update resources t set commit_id = v.commit_id from v
     where v.to_type = 'resource' and t.id = v.to_id and t.commit_id is null
    returning t.id, t.commit_id
  ), linked_artifacts as (
    update artifacts t set commit_id = v.commit_id from v
     where v.to_type = 'artifact' and t.id = v.to_id and t.commit_id is null
    returning t.id, t.commit_id
  ), recorded as (
    insert into links (from_type, from_id, to_type, to_id, rule, evidence)
    select 'commit', v.commit_id, v.to_type, v.to_id, v.rule, v.evidence from v
     where (v.to_type = 'resource'
            and (exists (select 1 from resources r where r.id = v.to_id and r.commit_id = v.commit_id)
                 or exists (select 1 from linked_resources n where n.id = v.to_id and n.commit_id = v.commit_id)))
        or (v.to_type = 'artifact'
            and (exists (select 1 from artifacts a where a.id = v.to_id and a.commit_id = v.commit_id)
                 or exists (select 1 from linked_artifacts n where n.id = v.to_id and n.commit_id = v.commit_id)))
    on conflict (from_type, from_id, to_type, to_id) do update set rule = excluded.rule, evidence = excluded.evidence
     where array_position($2::text[], links.rule) > array_position($2::text[], excluded.rule)
  )
  select 'resource' as type, id from linked_resources
  union all
  select 'artifact', id from linked_artifacts`;

/**
 * Links the candidates that are still unlinked and returns those. A candidate already linked to
 * the same commit keeps the strongest rule, so the recorded rule does not depend on arrival order.
 * An Application linked to another commit moves when stronger evidence arrives (its images said
 * one commit before the manifests revision of another arrived); it has no dependents to take along.
 * `moved` collects the commits that lost a row.
 */
export async function linkAll(
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
  // A row carries links only from the commit it is on (links are recorded for that commit alone,
  // and a move drops them with it), so only an Application read on another commit can move.
  const movable = all.filter(
    (c) =>
      c.item.type === "resource" &&
      c.item.observation.kind === "Application" &&
      (c.current === undefined || (c.current !== null && c.current !== c.commitId)),
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
  const rows = all.map((c) => ({
    commit_id: c.commitId,
    to_type: c.item.type,
    to_id: c.item.id,
    rule: c.rule,
    evidence: c.evidence,
  }));
  const linked = await db.query<{ type: "resource" | "artifact"; id: bigint }>(LINK, [
    json(rows),
    [...LINK_RULES],
  ]);
  const ids = new Set(linked.rows.map((row) => `${row.type}:${row.id}`));
  // Resources first, then artifacts: the order the next round's keys are gathered in.
  return (["resource", "artifact"] as const).flatMap((type) =>
    all
      .filter((c) => c.item.type === type && ids.has(`${type}:${c.item.id}`))
      .map((c) => ({ item: c.item, commitId: c.commitId, rule: c.rule })),
  );
}

/**
 * Follows links to the rows they unblock, round by round. Also for rows linked before whose keys
 * are new (a Build that only now reports its digest). Each row links once, so this ends.
 * `settled` rows are left out of the first round only: the batch decided them knowing every key
 * of that round's frontier, not the keys of stored rows that later rounds link.
 */
export async function propagateFrom(
  db: Queryable,
  linked: Linked[],
  settled?: Settled,
): Promise<Set<bigint>> {
  const touched = new Set<bigint>();
  let frontier = linked;
  let known = settled;
  while (frontier.length > 0) {
    frontier = await linkAll(db, await dependents(db, frontier, known), touched);
    known = undefined;
    for (const { commitId } of frontier) touched.add(commitId);
  }
  return touched;
}

export const WAITING_RESOURCES =
  "select id, cluster, commit_id, environment, observation from resources where revision = any($1::text[]) and commit_id is null";

/** Rows that were waiting for commits that have just been created. */
export async function waitingForCommits(db: Queryable, shas: string[]): Promise<Linkable[]> {
  if (shas.length === 0) return [];
  const rows = await db.query<Row>(WAITING_RESOURCES, [shas]);
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
