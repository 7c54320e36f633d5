// Read side of the timeline: one commit's rows (found by SHA or prefix) assembled into the API's
// CommitTimeline, in plain SQL. The commit list and the apps overview live in commits.ts.
import "server-only";
import { config } from "@/lib/config";
import { BadInput, NotFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { assembleTimeline, isSettled } from "@/lib/timeline/assemble";
import { IN_FLIGHT } from "@/lib/timeline/summary";
import type {
  ArtifactRow,
  CommitRow,
  CommitTimeline,
  GateRow,
  LinkBases,
  LinkRow,
  ResourceRow,
} from "@/lib/timeline/types";
import { select, type ReadDb } from "./commits";
import { pool, utc } from "./pool";

export type { ReadDb } from "./commits";

const SHA_PREFIX = /^[0-9a-f]{7,64}$/;

/** Deep-link bases from configuration (Harbor's UI shares its API's host). */
export function configuredLinkBases(): LinkBases {
  const settings = config();
  const harbor = settings.harbor?.url.replace(/\/api\/v2\.0\/?$/, "") ?? null;
  return { harbor, ...settings.links };
}

// The commits a SHA prefix names — by its first 7 characters (an equality on an indexed
// expression, which Postgres plans once per connection, where a range alone it re-plans on every
// read: migration 20261126101500_commit_sha_prefix), then by the prefix itself (`sha >= p and
// sha < p || 'g'`: hex sorts the same in any collation) and the app, when given — the exact SHA
// first, then the oldest. The first row carries its stored timeline when that is current (built at
// the commit's generation, with these deep-link settings): the bytes the API sends.
const LOOKUP = `
  select k.id, k.sha, (select name from apps where id = k.app_id) as app,
         case when row_number() over (order by k.sha = $1 desc, k.id) = 1 then
           (select t.body from commit_timelines t
             where t.commit_id = k.id and t.gen = k.timeline_gen and t.links_key = $4)
         end as stored
    from (select c.id, c.sha, c.app_id, c.timeline_gen from commits c
           where left(c.sha, 7) = left($1, 7) and c.sha >= $1 and c.sha < $2
             and ($3::text is null or c.app_id = (select id from apps where name = $3::text))
           order by c.id limit 20) k
   order by k.sha = $1 desc, k.id`;

// Everything the timelines of the commits `$1` are assembled from, one row per commit, each part
// built as JSON by Postgres: the commit with its app and generation, its resources, links,
// artifacts and gates. One round trip for any number of commits, and the driver parses JSON text
// instead of decoding hundreds of fields: that was most of a timeline's CPU (bench/RESULTS.md).
// Ids travel as text, times as Postgres's ISO text (UTC).
export const PARTS = `
  select c.id, c.timeline_gen as gen,
    json_build_object('id', c.id::text, 'sha', c.sha, 'branch', c.branch, 'author', c.author,
      'authorEmail', c.author_email, 'message', c.message, 'url', c.url,
      'committedAt', c.committed_at, 'app', a.name, 'repoUrl', a.repo_url) as commit,
    -- Of each object only its labels and annotations: the timeline reads nothing else, and whole
    -- Kubernetes objects would be tens of KiB per timeline.
    (select json_agg(json_build_object('id', r.id::text, 'system', r.system, 'kind', r.kind,
              'cluster', r.cluster, 'namespace', r.namespace, 'name', r.name, 'uid', r.uid,
              'key', r.key,
              'object', jsonb_build_object('metadata', jsonb_build_object(
                'labels', r.object->'metadata'->'labels',
                'annotations', r.object->'metadata'->'annotations')),
              'observation', r.observation, 'stage', r.stage, 'status', r.status,
              'reason', r.reason, 'startedAt', r.started_at, 'finishedAt', r.finished_at,
              'parentKey', r.parent_key, 'environment', r.environment, 'deletedAt', r.deleted_at)
              order by r.id)
       from resources r where r.id = any(w.ids)) as resources,
    (select json_agg(json_build_object('toType', l.to_type, 'toId', l.to_id::text, 'rule', l.rule,
              'evidence', l.evidence))
       from links l
      where l.from_type = 'commit' and l.from_id = c.id) as links,
    -- "= any(array(…))", not "in (…)": an OR with a subquery defeats the indexes (a full scan).
    (select json_agg(json_build_object('id', x.id::text, 'project', x.project,
              'repository', x.repository, 'digest', x.digest, 'tags', x.tags,
              'pushedAt', x.pushed_at, 'scanStatus', x.scan_status, 'severity', x.severity,
              'scanSummary', x.scan_summary, 'scanner', x.scanner, 'deletedAt', x.deleted_at)
              order by x.id)
       from artifacts x
      where x.commit_id = c.id
         or x.id = any(array(select to_id from links
                              where from_type = 'commit' and from_id = c.id
                                and to_type = 'artifact'))) as artifacts,
    -- Shiplog's gates on the commit or on its approval objects, each with its decisions.
    (select json_agg(json_build_object('gateId', g.id, 'kind', g.kind, 'cluster', g.cluster,
              'uid', g.uid, 'status', g.status, 'message', g.message,
              'createdAt', to_char(g.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'decidedAt', to_char(g.decided_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'minApprovals', g.min_approvals, 'approvers', g.approvers,
              'decisions', coalesce((
                select json_agg(json_build_object('user', d."user", 'decision', d.decision,
                         'comment', d.comment,
                         'at', to_char(d.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                         order by d.at, d.id)
                  from decisions d where d.gate_id = g.id), '[]'::json))
              order by g.created_at, g.id)
       from gates g
      where g.id = any(array(
              select id from gates where commit_id = c.id
              union
              select x.id from resources r
                join gates x on x.cluster = r.cluster and x.uid = r.uid
               where r.id = any(w.ids) and r.kind in ('CustomRun', 'ApprovalTask', 'PipelineRun')))) as gates
  from commits c
  join apps a on a.id = c.app_id
  -- The commit's resources: those it is linked to (by links or commit_id) and the child
  -- TaskRuns/CustomRuns of its PipelineRuns, which the timeline reads as the runs' tasks.
  cross join lateral (
    select array(select id from resources where commit_id = c.id
                 union
                 select to_id from links
                  where from_type = 'commit' and from_id = c.id and to_type = 'resource') as ids
  ) o
  cross join lateral (
    select o.ids || array(select k.id from resources p
                            join resources k on k.cluster = p.cluster and k.parent_key = p.key
                           where p.id = any(o.ids) and p.kind = 'PipelineRun') as ids
  ) w
  where c.id = any($1::bigint[])`;

/** A row as json_build_object sent it: ids as text, times as ISO text without a zone. */
type Json<T> = {
  [K in keyof T]: T[K] extends bigint ? string : T[K] extends Date | null ? string | null : T[K];
};

type CommitPart = Json<CommitRow & { committedAt: Date | null }> & {
  id: string;
  app: string;
  repoUrl: string | null;
};

type LookupRow = { id: bigint; sha: string; app: string; stored: string | null };

type PartsRow = {
  id: bigint;
  gen: bigint;
  commit: CommitPart;
  resources: Json<ResourceRow>[] | null;
  links: Json<LinkRow>[] | null;
  artifacts: Json<ArtifactRow>[] | null;
  gates: GateRow[] | null;
};

/** A `timestamp` as json_build_object sends it: ISO text without a zone, holding UTC. */
const time = (value: string | null): Date | null => (value === null ? null : utc(value));

/** The candidates must name one commit: NotFound for none, BadInput when the prefix is ambiguous. */
function checkCandidates(prefix: string, app: string | null, candidates: LookupRow[]) {
  if (candidates.length === 0) {
    throw new NotFound(app ? `no commit ${prefix} in app ${app}` : `no commit ${prefix}`);
  }
  const apps = [...new Set(candidates.map((c) => c.app))].sort();
  if (apps.length > 1) {
    throw new BadInput(
      `commit ${prefix} matches commits of several apps (${apps.join(", ")}): add ?app=`,
    );
  }
  if (!candidates.some((c) => c.sha === prefix) && candidates.length > 1) {
    throw new BadInput(
      `commit prefix ${prefix} matches ${candidates.length} commits of ${apps[0]}: give more characters`,
    );
  }
}

export interface TimelineOptions {
  now?: Date;
  links?: LinkBases;
}

/** The key of the deep-link settings a timeline was built with (its URLs depend on them). */
export function linksKey(bases: LinkBases): string {
  return JSON.stringify([
    bases.harbor ?? null,
    bases.tektonDashboard ?? null,
    bases.argocd ?? null,
    bases.gitHost ?? null,
  ]);
}

function assembleParts(row: PartsRow, now: Date, bases: LinkBases): CommitTimeline {
  const { commit } = row;
  return assembleTimeline(
    {
      commit: { ...commit, committedAt: time(commit.committedAt) },
      app: { name: commit.app, repoUrl: commit.repoUrl },
      resources: (row.resources ?? []).map((r) => ({
        ...r,
        id: BigInt(r.id),
        startedAt: time(r.startedAt),
        finishedAt: time(r.finishedAt),
        deletedAt: time(r.deletedAt),
      })),
      artifacts: (row.artifacts ?? []).map((a) => ({
        ...a,
        id: BigInt(a.id),
        pushedAt: time(a.pushedAt),
        deletedAt: time(a.deletedAt),
      })),
      links: (row.links ?? []).map((l) => ({ ...l, toId: BigInt(l.toId) })),
      gates: row.gates ?? [],
    },
    now,
    bases,
  );
}

// An older generation never replaces a newer one: a read that assembled a timeline just before
// a change committed stores a generation no reader will ask for.
const STORE = `
  insert into commit_timelines (commit_id, gen, links_key, body)
  select t.id, t.gen, $4, t.body
    from unnest($1::bigint[], $2::bigint[], $3::text[]) as t(id, gen, body)
  on conflict (commit_id) do update
    set gen = excluded.gen, links_key = excluded.links_key, body = excluded.body, built_at = now()
  where commit_timelines.gen <= excluded.gen`;

type Built = { id: bigint; gen: bigint; timeline: CommitTimeline; body: string };

/** Assembles the commits' timelines afresh from one read of their rows (nothing stored is read). */
export async function assembleTimelines(
  client: ReadDb,
  ids: bigint[],
  now: Date,
  bases: LinkBases,
): Promise<Built[]> {
  const rows = await select<PartsRow>(client, PARTS, [ids.map(String)]);
  return rows.map((row) => {
    const timeline = assembleParts(row, now, bases);
    return { id: BigInt(row.id), gen: BigInt(row.gen), timeline, body: JSON.stringify(timeline) };
  });
}

/** Keeps the timelines that read the same at any later time (isSettled); returns how many. */
async function keep(client: ReadDb, built: Built[], bases: LinkBases): Promise<number> {
  const settled = built.filter((b) => isSettled(b.timeline));
  if (settled.length === 0) return 0;
  await select(client, STORE, [
    settled.map((b) => String(b.id)),
    settled.map((b) => String(b.gen)),
    settled.map((b) => b.body),
    linksKey(bases),
  ]);
  return settled.length;
}

/**
 * Builds and stores the timelines of these commits where they have settled (the timeline keeper,
 * lib/ingest/timeline-keeper.ts, calls it as commits change). Returns how many it stored.
 */
export async function storeTimelines(
  client: ReadDb,
  ids: bigint[],
  bases: LinkBases = configuredLinkBases(),
): Promise<number> {
  if (ids.length === 0) return 0;
  return keep(client, await assembleTimelines(client, ids, new Date(), bases), bases);
}

/**
 * Commits whose stored timeline is missing or out of date, newest first (below `before`, for the
 * next page), of those not in flight: a commit still running would be assembled for nothing.
 */
export async function staleTimelines(
  client: ReadDb,
  limit: number,
  bases: LinkBases = configuredLinkBases(),
  before: bigint | null = null,
): Promise<bigint[]> {
  const rows = await select<{ id: bigint }>(
    client,
    `select c.id from commits c
       left join commit_timelines t on t.commit_id = c.id
      where c.status <> all($4::text[])
        and ($3::bigint is null or c.id < $3::bigint)
        and (t.commit_id is null or t.gen <> c.timeline_gen or t.links_key <> $1)
      order by c.id desc limit $2`,
    [linksKey(bases), limit, before === null ? null : String(before), IN_FLIGHT],
  );
  return rows.map((r) => BigInt(r.id));
}

/** The commits named by app and SHA whose status is not in flight (those are not stored). */
export async function settledCommitIds(
  client: ReadDb,
  commits: { app: string; sha: string }[],
): Promise<bigint[]> {
  const rows = await select<{ id: bigint }>(
    client,
    `select c.id from commits c join apps a on a.id = c.app_id
       join jsonb_to_recordset($1::jsonb) as x(app text, sha text) on x.app = a.name and x.sha = c.sha
      where c.status <> all($2::text[])`,
    [JSON.stringify(commits), IN_FLIGHT],
  );
  return rows.map((r) => BigInt(r.id));
}

/** A commit's timeline as the API sends it: the JSON text, and the object when it was assembled. */
export type TimelineRead = { body: string; timeline: CommitTimeline | null };

/**
 * A commit's timeline by full SHA or a prefix of at least 7 characters. NotFound when no commit
 * matches; BadInput when the prefix is ambiguous (across apps: pass `app`). One round trip when
 * the commit's settled timeline is stored; else a second to assemble it (and a third to store it
 * once settled).
 */
export async function readCommitTimeline(
  sha: string,
  app?: string | null,
  client: ReadDb = pool(),
  options: TimelineOptions = {},
): Promise<TimelineRead> {
  const prefix = sha.trim().toLowerCase();
  if (!SHA_PREFIX.test(prefix)) {
    throw new BadInput("sha must be 7 to 64 hexadecimal characters");
  }
  const bases = options.links ?? configuredLinkBases();
  const candidates = await select<LookupRow>(client, LOOKUP, [
    prefix,
    `${prefix}g`,
    app ?? null,
    linksKey(bases),
  ]);
  checkCandidates(prefix, app ?? null, candidates);
  const [chosen] = candidates;
  if (chosen.stored !== null) return { body: chosen.stored, timeline: null };
  const [built] = await assembleTimelines(
    client,
    [BigInt(chosen.id)],
    options.now ?? new Date(),
    bases,
  );
  // Deleted between the two reads (its app was removed): as if it had never been found.
  if (!built) throw new NotFound(`no commit ${prefix}`);
  // Storing is for the next read: this one answers whether or not it succeeds.
  await keep(client, [built], bases).catch((err: unknown) =>
    log.warn({ err, sha: prefix }, "could not store an assembled timeline"),
  );
  return { body: built.body, timeline: built.timeline };
}

/** The same, as the object (pages and tests). */
export async function getCommitTimeline(
  sha: string,
  app?: string | null,
  client: ReadDb = pool(),
  options: TimelineOptions = {},
): Promise<CommitTimeline> {
  const read = await readCommitTimeline(sha, app, client, options);
  return read.timeline ?? (JSON.parse(read.body) as CommitTimeline);
}
