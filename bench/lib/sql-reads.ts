// A candidate read path, measured against lib/db's and proposed, not adopted: the same timeline
// and commit list in plain SQL on a node-postgres pool — no Prisma query compilation per call,
// fewer round trips (commit and app in one; resources, links and artifacts side by side), and
// only the labels and annotations of each object. Outputs must equal lib/db's, byte for byte.
import type pg from "pg";
import { decodeCursor, encodeCursor } from "../../lib/db/cursor";
import { assembleTimeline } from "../../lib/timeline/assemble";
import { toCommitSummary } from "../../lib/timeline/commit-summary";
import type { ArtifactRow, LinkBases, LinkRow, ResourceRow } from "../../lib/timeline/types";
import type { CommitListQuery, CommitPage } from "../../lib/db/commits";

const COMMIT = `c.id, c.sha, c.branch, c.author, c.author_email as "authorEmail", c.message, c.url,
  c.committed_at as "committedAt", c.status, c.stages, a.name as app, a.repo_url as "repoUrl"`;

const RESOURCES = `
  with own as (
    select id, cluster, key, kind from resources where commit_id = $1
    union
    select r.id, r.cluster, r.key, r.kind
      from links l join resources r on r.id = l.to_id
     where l.from_type = 'commit' and l.from_id = $1 and l.to_type = 'resource'
  ), wanted as (
    select id from own
    union
    select c.id from own p join resources c on c.cluster = p.cluster and c.parent_key = p.key
     where p.kind = 'PipelineRun'
  )
  select r.id, r.system, r.kind, r.cluster, r.namespace, r.name, r.uid, r.key,
         jsonb_build_object('metadata', jsonb_build_object('labels', r.object->'metadata'->'labels',
           'annotations', r.object->'metadata'->'annotations')) as object,
         r.observation, r.stage, r.status, r.reason, r.started_at as "startedAt",
         r.finished_at as "finishedAt", r.parent_key as "parentKey", r.environment,
         r.deleted_at as "deletedAt"
    from resources r join wanted w on w.id = r.id
   order by r.id`;

const ARTIFACTS = `
  select id, project, repository, digest, tags, pushed_at as "pushedAt", scan_status as "scanStatus",
         severity, scan_summary as "scanSummary", scanner, deleted_at as "deletedAt"
    from artifacts
   -- "= any(array(…))", not "in (…)": an OR with a subquery defeats the indexes (a full scan).
   where commit_id = $1 or id = any(array(select to_id from links
                                   where from_type = 'commit' and from_id = $1 and to_type = 'artifact'))
   order by id`;

type CommitJoined = {
  id: bigint;
  sha: string;
  branch: string | null;
  author: string | null;
  authorEmail: string | null;
  message: string | null;
  url: string | null;
  committedAt: Date | null;
  status: string;
  stages: unknown;
  app: string;
  repoUrl: string | null;
};

/** The timeline as lib/db/timeline.ts assembles it, in two round trips deep. */
export async function sqlTimeline(pool: pg.Pool, sha: string, now: Date, bases: LinkBases) {
  const prefix = sha.trim().toLowerCase();
  const { rows } = await pool.query<CommitJoined>(
    `select ${COMMIT} from commits c join apps a on a.id = c.app_id
      where c.sha >= $1 and c.sha < $2 order by c.id limit 20`,
    [prefix, `${prefix}g`],
  );
  const commit = rows.find((c) => c.sha === prefix) ?? rows[0];
  if (!commit || (rows.length > 1 && !rows.some((c) => c.sha === prefix))) return null;
  const [resources, links, artifacts] = await Promise.all([
    pool.query<ResourceRow>(RESOURCES, [commit.id]),
    pool.query<LinkRow>(
      `select to_type as "toType", to_id as "toId", rule, evidence from links
        where from_type = 'commit' and from_id = $1`,
      [commit.id],
    ),
    pool.query<ArtifactRow>(ARTIFACTS, [commit.id]),
  ]);
  return assembleTimeline(
    {
      commit,
      app: { name: commit.app, repoUrl: commit.repoUrl },
      resources: resources.rows,
      artifacts: artifacts.rows,
      links: links.rows,
    },
    now,
    bases,
  );
}

/** The commit list as lib/db/commits.ts pages it (app, branch and status filters), one query a part. */
export async function sqlListCommits(pool: pg.Pool, query: CommitListQuery): Promise<CommitPage> {
  if (query.q) throw new Error("sqlListCommits: q is not part of the benchmark's mix");
  const limit = query.limit ?? 50;
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const take = limit + 1;
  /** One part of the page; `extra` adds conditions whose values follow the filters' as $n. */
  const read = async (extra: (p: (v: unknown) => string) => string[], order: string, n: number) => {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [
      ...(query.app ? [`a.name = ${p(query.app)}`] : []),
      ...(query.branch ? [`c.branch = ${p(query.branch)}`] : []),
      ...(query.status ? [`c.status = ${p(query.status)}`] : []),
      ...extra(p),
    ];
    const sql = `select ${COMMIT} from commits c join apps a on a.id = c.app_id
      where ${where.join(" and ")} order by ${order} limit ${n}`;
    return (await pool.query<CommitJoined>(sql, params)).rows;
  };
  const rows: CommitJoined[] = [];
  if (!cursor || cursor.at) {
    const at = cursor?.at?.toISOString();
    const dated = (p: (v: unknown) => string) => [
      "c.committed_at is not null",
      ...(at && cursor
        ? [
            `c.committed_at <= ${p(at)}::timestamp`,
            `(c.committed_at < ${p(at)}::timestamp or c.id < ${p(cursor.id)})`,
          ]
        : []),
    ];
    rows.push(...(await read(dated, "c.committed_at desc, c.id desc", take)));
  }
  if (rows.length < take) {
    const undated = (p: (v: unknown) => string) => [
      "c.committed_at is null",
      ...(cursor && !cursor.at ? [`c.id < ${p(cursor.id)}`] : []),
    ];
    rows.push(...(await read(undated, "c.id desc", take - rows.length)));
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((c) => toCommitSummary(c.app, c)),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: last.committedAt, id: last.id }) : null,
  };
}
