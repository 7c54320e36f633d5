// Ties stored resources and artifacts to commits, in whichever order the facts arrive: each new
// link hands its keys (digests, manifests revisions, its PipelineRun) to the unlinked rows that
// wait for them. Every query is an indexed lookup by key; history is never scanned.
import type { Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import {
  LINK_RULES,
  decideLink,
  lookupKeys,
  ownsDigests,
  ownsManifests,
  type Facts,
  type LinkRule,
} from "../timeline/correlate";

export type Linkable =
  | { type: "resource"; id: bigint; cluster: string; observation: Observation }
  | { type: "artifact"; id: bigint; observation: Observation };

export type Linked = { item: Linkable; commitId: bigint; rule?: LinkRule };

async function facts(db: Queryable, items: Linkable[]): Promise<Facts> {
  const keys = items.map((item) => ({ item, keys: lookupKeys(item.observation) }));
  const shas = [...new Set(keys.flatMap((k) => k.keys.shas))];
  const tags = [...new Set(keys.flatMap((k) => k.keys.tags))];
  const manifests = [...new Set(keys.flatMap((k) => k.keys.manifests))];

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
      [tags.map((tag) => tag.slice(tag.lastIndexOf(":") + 1)), tags],
    );
    for (const row of rows.rows) tagDigests.set(row.tag, row.digest);
  }
  const digests = [...new Set([...keys.flatMap((k) => k.keys.digests), ...tagDigests.values()])];
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
  const manifestsOwners = new Map<string, bigint>();
  if (manifests.length > 0) {
    const rows = await db.query<{ sha: string; commit_id: bigint }>(
      `select m as sha, r.commit_id from resources r, unnest(r.manifests_revisions) m
        where r.manifests_revisions && $1::text[] and m = any($1::text[]) and r.commit_id is not null
          and r.system = 'tekton'`,
      [manifests],
    );
    for (const row of rows.rows) manifestsOwners.set(row.sha, row.commit_id);
  }
  const parents = new Map<string, bigint>();
  const parentKeys = keys.filter((k) => k.keys.parentKey && k.item.type === "resource");
  if (parentKeys.length > 0) {
    const wanted = parentKeys.map((k) => ({
      cluster: (k.item as { cluster: string }).cluster,
      key: k.keys.parentKey,
    }));
    const rows = await db.query<{ key: string; commit_id: bigint }>(
      `select r.key, r.commit_id from resources r join jsonb_to_recordset($1::jsonb) as w(cluster text, key text)
          on r.cluster = w.cluster and r.key = w.key
        where r.commit_id is not null`,
      [JSON.stringify(wanted)],
    );
    for (const row of rows.rows) parents.set(row.key, row.commit_id);
  }
  return { commitsBySha, digestOwners, tagDigests, manifestsOwners, parents };
}

async function link(
  db: Queryable,
  item: Linkable,
  commitId: bigint,
  rule: LinkRule,
  evidence: string,
): Promise<boolean> {
  const table = item.type === "resource" ? "resources" : "artifacts";
  const updated = await db.query(
    `update ${table} set commit_id = $2 where id = $1 and commit_id is null`,
    [item.id, commitId],
  );
  if (updated.rowCount === 0) {
    // Already linked: keep the strongest rule, so the recorded rule does not depend on arrival order.
    await db.query(
      `update links set rule = $4, evidence = $5
        where from_type = 'commit' and from_id = $1 and to_type = $2 and to_id = $3
          and array_position($6::text[], rule) > array_position($6::text[], $4::text)`,
      [commitId, item.type, item.id, rule, evidence, LINK_RULES],
    );
    return false;
  }
  await db.query(
    `insert into links (from_type, from_id, to_type, to_id, rule, evidence) values ('commit', $1, $2, $3, $4, $5)
     on conflict (from_type, from_id, to_type, to_id) do nothing`,
    [commitId, item.type, item.id, rule, evidence],
  );
  return true;
}

type Row = { id: bigint; cluster?: string; observation: Observation };

/** Unlinked rows that the keys of a newly linked item tie to its commit. */
async function dependents(
  db: Queryable,
  linked: Linked,
): Promise<{ item: Linkable; rule: LinkRule; evidence: string }[]> {
  const obs = linked.item.observation;
  const out: { item: Linkable; rule: LinkRule; evidence: string }[] = [];
  const resources = (rows: Row[], rule: LinkRule, evidence: string) =>
    rows.forEach((row) =>
      out.push({
        item: {
          type: "resource",
          id: row.id,
          cluster: row.cluster ?? "",
          observation: row.observation,
        },
        rule,
        evidence,
      }),
    );

  if (ownsDigests(obs) && obs.digests.length > 0) {
    const rows = await db.query<Row>(
      `select id, cluster, observation from resources
        where digests && $1::text[] and (commit_id is null or commit_id = $2) and not (system = 'kpack' and kind = 'Build')`,
      [obs.digests, linked.commitId],
    );
    resources(rows.rows, "digest", obs.digests[0]);
    if (obs.system === "kpack") {
      const artifacts = await db.query<{
        id: bigint;
        repository: string;
        digest: string;
        tags: string[];
      }>(
        "select id, repository, digest, tags from artifacts where digest = any($1::text[]) and (commit_id is null or commit_id = $2)",
        [obs.digests, linked.commitId],
      );
      for (const row of artifacts.rows) {
        const observation = {
          ...obs,
          system: "harbor",
          kind: "Artifact",
          digests: [row.digest],
          repository: row.repository,
        } as Observation;
        out.push({
          item: { type: "artifact", id: row.id, observation },
          rule: "digest",
          evidence: row.digest,
        });
      }
    }
  }
  if (linked.item.type === "artifact") {
    const tags = (obs.details.type === "image" ? obs.details.tags : []).map(
      (tag) => `${obs.repository}:${tag}`,
    );
    if (tags.length > 0) {
      const rows = await db.query<Row>(
        "select id, cluster, observation from resources where image_tags && $1::text[] and (commit_id is null or commit_id = $2)",
        [tags, linked.commitId],
      );
      resources(rows.rows, "tag", `${tags[0]} → ${obs.digests[0]}`);
    }
  }
  if (ownsManifests(obs) && obs.manifestsRevisions.length > 0) {
    const shas = obs.manifestsRevisions.map((rev) => rev.sha);
    const rows = await db.query<Row>(
      `select id, cluster, observation from resources
        where manifests_revisions && $1::text[] and (commit_id is null or commit_id = $2) and kind = 'Application'`,
      [shas, linked.commitId],
    );
    resources(rows.rows, "manifests-revision", shas[0]);
  }
  if (linked.item.type === "resource") {
    const { cluster } = linked.item;
    if (obs.kind === "PipelineRun") {
      const rows = await db.query<Row>(
        "select id, cluster, observation from resources where cluster = $1 and parent_key = $2 and (commit_id is null or commit_id = $3)",
        [cluster, obs.key, linked.commitId],
      );
      resources(rows.rows, "parent", `${obs.namespace}/${obs.name}`);
    }
    // A task tied by its own evidence ties its PipelineRun; one tied through the PipelineRun does not.
    const parentKey = linked.rule === "parent" ? null : lookupKeys(obs).parentKey;
    if (parentKey) {
      const rows = await db.query<Row>(
        "select id, cluster, observation from resources where cluster = $1 and key = $2 and (commit_id is null or commit_id = $3)",
        [cluster, parentKey, linked.commitId],
      );
      resources(rows.rows, "task-result", `${obs.kind} ${obs.namespace}/${obs.name}`);
    }
  }
  return out;
}

/** Rows that were waiting for a commit that has just been created. */
export async function waitingForCommit(db: Queryable, sha: string): Promise<Linkable[]> {
  const rows = await db.query<Row>(
    "select id, cluster, observation from resources where revision = $1 and commit_id is null",
    [sha],
  );
  const artifacts = await db.query<{ id: bigint; observation: Observation }>(
    `select id, jsonb_build_object('system', 'harbor', 'kind', 'Artifact', 'digests', jsonb_build_array(digest),
            'repository', repository, 'revision', jsonb_build_object('sha', revision)) as observation
       from artifacts where revision = $1 and commit_id is null`,
    [sha],
  );
  return [
    ...rows.rows.map((row): Linkable => ({
      type: "resource",
      id: row.id,
      cluster: row.cluster ?? "",
      observation: row.observation,
    })),
    ...artifacts.rows.map((row): Linkable => ({
      type: "artifact",
      id: row.id,
      observation: row.observation,
    })),
  ];
}

/**
 * Links what can be linked among `items`, then follows every new link to the rows it unblocks.
 * Returns the commits whose timelines changed.
 */
export async function correlate(db: Queryable, items: Linkable[]): Promise<Set<bigint>> {
  const linked: Linked[] = [];
  const known = await facts(db, items);
  for (const item of items) {
    const decision = decideLink(item.observation, known);
    if (decision && (await link(db, item, decision.commitId, decision.rule, decision.evidence))) {
      linked.push({ item, commitId: decision.commitId, rule: decision.rule });
    }
  }
  const touched = await propagateFrom(db, linked);
  for (const { commitId } of linked) touched.add(commitId);
  return touched;
}

/**
 * Follows links to the rows they unblock. Also for rows linked before whose keys are new (a
 * Build that only now reports its digest). Each row links once, so this ends.
 */
export async function propagateFrom(db: Queryable, items: Linked[]): Promise<Set<bigint>> {
  const touched = new Set<bigint>();
  const queue: Linked[] = [...items];
  while (queue.length > 0) {
    const next = queue.shift() as Linked;
    for (const dependent of await dependents(db, next)) {
      if (await link(db, dependent.item, next.commitId, dependent.rule, dependent.evidence)) {
        queue.push({ item: dependent.item, commitId: next.commitId, rule: dependent.rule });
        touched.add(next.commitId);
      }
    }
  }
  return touched;
}
