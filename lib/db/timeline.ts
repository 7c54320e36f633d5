// Read side of the timeline: one commit's rows (found by SHA or prefix) assembled into API.md's
// CommitTimeline, in plain SQL. The commit list and the apps overview live in commits.ts.
import "server-only";
import { config } from "@/lib/config";
import { BadInput, NotFound } from "@/lib/errors";
import { assembleTimeline } from "@/lib/timeline/assemble";
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
import { pool } from "./pool";

export {
  listApps,
  listCommits,
  type AppListing,
  type CommitListQuery,
  type ReadDb,
} from "./commits";

const SHA_PREFIX = /^[0-9a-f]{7,64}$/;

/** Deep-link bases from configuration (Harbor's UI shares its API's host). */
export function configuredLinkBases(): LinkBases {
  const settings = config();
  const harbor = settings.harbor?.url.replace(/\/api\/v2\.0\/?$/, "") ?? null;
  return { harbor, ...settings.links };
}

// The whole timeline in one statement, each part built as JSON by Postgres: the candidate commits
// for the prefix (`sha >= p and sha < p || 'g'`, a range the sha index answers: hex sorts the same
// in any collation; the app, when given, by name), and for the chosen one (the exact SHA, else the
// first) the commit with its app, its resources, links and artifacts. One round trip, and the
// driver parses one JSON text instead of decoding hundreds of fields: that was most of a
// timeline's CPU (bench/RESULTS.md). Ids travel as text, times as Postgres's ISO text (UTC).
const TIMELINE = `
  with candidates as (
    select c.id, c.sha, a.name as app
      from commits c join apps a on a.id = c.app_id
     where c.sha >= $1 and c.sha < $2 and ($3::text is null or a.name = $3::text)
     order by c.id
     limit 20
  ), chosen as (
    select id from candidates order by sha = $1 desc, id limit 1
  ), own as (
    -- The commit's resources: those it is linked to (by links or commit_id) and the child
    -- TaskRuns/CustomRuns of its PipelineRuns, which the timeline reads as the runs' tasks.
    select id, cluster, key, kind from resources where commit_id = (select id from chosen)
    union
    select r.id, r.cluster, r.key, r.kind
      from links l join resources r on r.id = l.to_id
     where l.from_type = 'commit' and l.from_id = (select id from chosen) and l.to_type = 'resource'
  ), wanted as (
    select id from own
    union
    select c.id from own p join resources c on c.cluster = p.cluster and c.parent_key = p.key
     where p.kind = 'PipelineRun'
  )
  select
    (select json_agg(json_build_object('sha', k.sha, 'app', k.app) order by k.id)
       from candidates k) as candidates,
    (select json_build_object('id', c.id::text, 'sha', c.sha, 'branch', c.branch, 'author', c.author,
              'authorEmail', c.author_email, 'message', c.message, 'url', c.url,
              'committedAt', c.committed_at, 'app', a.name, 'repoUrl', a.repo_url)
       from commits c join apps a on a.id = c.app_id
      where c.id = (select id from chosen)) as commit,
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
       from resources r join wanted w on w.id = r.id) as resources,
    (select json_agg(json_build_object('toType', l.to_type, 'toId', l.to_id::text, 'rule', l.rule,
              'evidence', l.evidence))
       from links l
      where l.from_type = 'commit' and l.from_id = (select id from chosen)) as links,
    -- "= any(array(…))", not "in (…)": an OR with a subquery defeats the indexes (a full scan).
    (select json_agg(json_build_object('id', x.id::text, 'project', x.project,
              'repository', x.repository, 'digest', x.digest, 'tags', x.tags,
              'pushedAt', x.pushed_at, 'scanStatus', x.scan_status, 'severity', x.severity,
              'scanSummary', x.scan_summary, 'scanner', x.scanner, 'deletedAt', x.deleted_at)
              order by x.id)
       from artifacts x
      where x.commit_id = (select id from chosen)
         or x.id = any(array(select to_id from links
                              where from_type = 'commit' and from_id = (select id from chosen)
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
              select id from gates where commit_id = (select id from chosen)
              union
              select x.id from resources r join wanted w on w.id = r.id
                join gates x on x.cluster = r.cluster and x.uid = r.uid
               where r.kind in ('CustomRun', 'ApprovalTask', 'PipelineRun')))) as gates`;

/** A row as json_build_object sent it: ids as text, times as ISO text without a zone. */
type Json<T> = {
  [K in keyof T]: T[K] extends bigint ? string : T[K] extends Date | null ? string | null : T[K];
};

type TimelineRow = {
  candidates: { sha: string; app: string }[] | null;
  commit:
    | (Json<CommitRow & { committedAt: Date | null }> & {
        id: string;
        app: string;
        repoUrl: string | null;
      })
    | null;
  resources: Json<ResourceRow>[] | null;
  links: Json<LinkRow>[] | null;
  artifacts: Json<ArtifactRow>[] | null;
  gates: GateRow[] | null;
};

/** Postgres's `timestamp` text holds UTC (lib/db/pool.ts reads the columns the same way). */
const time = (value: string | null): Date | null => (value === null ? null : new Date(`${value}Z`));

/** The candidates must name one commit: NotFound for none, BadInput when the prefix is ambiguous. */
function checkCandidates(
  prefix: string,
  app: string | null,
  candidates: TimelineRow["candidates"],
) {
  if (!candidates || candidates.length === 0) {
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

/**
 * A commit's timeline by full SHA or a prefix of at least 7 characters. NotFound when no commit
 * matches; BadInput when the prefix is ambiguous (across apps: pass `app`). One round trip.
 */
export async function getCommitTimeline(
  sha: string,
  app?: string | null,
  client: ReadDb = pool(),
  options: TimelineOptions = {},
): Promise<CommitTimeline> {
  const prefix = sha.trim().toLowerCase();
  if (!SHA_PREFIX.test(prefix)) {
    throw new BadInput("sha must be 7 to 64 hexadecimal characters");
  }
  const [row] = await select<TimelineRow>(client, TIMELINE, [prefix, `${prefix}g`, app ?? null]);
  checkCandidates(prefix, app ?? null, row.candidates);
  const commit = row.commit as NonNullable<TimelineRow["commit"]>;
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
    options.now ?? new Date(),
    options.links ?? configuredLinkBases(),
  );
}
