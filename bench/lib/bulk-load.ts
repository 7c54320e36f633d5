// The read benchmark's data set, loaded set-based: templates ingested for real (templates.ts), then
// cloned per commit in SQL — generate_series, the template rows' text with SHA, digest, manifests
// commit, release number and app swapped in — with secondary indexes built once at the end.
import type pg from "pg";
import { createPool } from "../../lib/db/pool";
import { dropTemplates, INGEST_BASE, stageTemplates, type Template } from "./templates";

export const APPS = 20;
const RUNNING = 2 * APPS;
const CHUNK = 10_000;
const TABLES = ["commits", "resources", "artifacts", "links", "transitions"];
const SESSION = `set synchronous_commit = off; set maintenance_work_mem = '256MB';
  set max_parallel_maintenance_workers = 2`;

/** A bulk-load session: no commit flushes, and (as superuser) no per-row foreign-key triggers. */
async function bulkSession(client: pg.PoolClient): Promise<void> {
  await client.query(SESSION);
  await client.query("set session_replication_role = replica").catch(() => {});
}

export type Dataset = {
  commits: number;
  apps: number;
  resources: number;
  artifacts: number;
  links: number;
  transitions: number;
  megabytes: number;
  statuses: Record<string, number>;
  templates: Template[];
  seconds: { templates: number; clone: number; indexes: number; vacuum: number };
};

/** The SHA of commit n, as releaseKeys(n) computes it (bench/lib/synthetic.ts). */
const hexOf = (seed: string, length = 64) =>
  `left(encode(sha256(convert_to(${seed}, 'UTF8')), 'hex'), ${length})`;

/**
 * Which template each commit clones (the order of OUTCOMES): the newest RUNNING still in their
 * pipeline, then ~4 % failed builds, ~6 % failed production deploys, the rest succeeded.
 */
export const GENERATE = `
  create table bench_gen as
  select n, case when n > $1::int - ${RUNNING} then 3 when o < 10 then 2 when o < 26 then 1 else 0 end as v, a.id as app_id, a.name as app,
         ${hexOf("'commit-' || n", 40)} as sha, ${hexOf("'digest-' || n")} as digest,
         ${hexOf("'manifests-' || n", 40)} as manifests,
         timestamp '2026-11-25 09:00:00' - (($1::int - n) * interval '5 minutes') as committed_at
    from generate_series(1, $1::int) as n
    cross join lateral (select get_byte(sha256(convert_to('outcome-' || n, 'UTF8')), 0) as o) h
    join apps a on a.name = 'app' || (n % ${APPS})`;

/** Template text with one clone's keys: the short SHA goes through a marker, so it is exact. */
export const SUBSTITUTE = `
  create function bench_sub(s text, t bench_tpl_variant, g bench_gen) returns text
  language sql immutable parallel safe as $$
    select replace(replace(replace(replace(replace(replace(replace(
      s, left(t.sha, 7), chr(1)), chr(1) || substr(t.sha, 8), g.sha), chr(1), left(g.sha, 7)),
      t.digest, g.digest), t.manifests, g.manifests), t.token, g.n::text), t.app, g.app)
  $$`;

const FROM = `from bench_gen g join bench_tpl_variant t on t.v = g.v`;
const sub = (expr: string) => `bench_sub(${expr}, t, g)`;
const subArray = (expr: string) => `${sub(`${expr}::text`)}::text[]`;
const shift = (at: string) =>
  `g.committed_at + (${at} - '${INGEST_BASE.toISOString()}'::timestamp)`;

export const CLONE = [
  `insert into commits (id, app_id, sha, branch, author, author_email, message, url, committed_at,
     status, stages, created_at, updated_at)
   select g.n, g.app_id, g.sha, c.branch, c.author, c.author_email, ${sub("c.message")},
     ${sub("c.url")}, g.committed_at, c.status, c.stages, g.committed_at, g.committed_at
   ${FROM} join bench_tpl_commits c on c.id = t.commit_id where g.n >= $1 and g.n < $2`,
  `insert into resources (id, system, kind, cluster, namespace, name, uid, key, resource_version,
     object, observation, stage, status, reason, started_at, finished_at, revision, digests,
     image_tags, manifests_revisions, parent_key, app_name, environment, commit_id, deleted_at,
     observed_at)
   select g.n * 8 + r.slot, r.system, r.kind, r.cluster, r.namespace, ${sub("r.name")},
     ${sub("r.uid")}, ${sub("r.key")}, ${sub("r.resource_version")}, ${sub("r.object::text")}::jsonb,
     ${sub("r.observation::text")}::jsonb, r.stage, r.status, r.reason, r.started_at, r.finished_at,
     ${sub("r.revision")}, ${subArray("r.digests")}, ${subArray("r.image_tags")},
     ${subArray("r.manifests_revisions")}, ${sub("r.parent_key")}, ${sub("r.app_name")},
     r.environment, g.n, r.deleted_at, ${shift("r.observed_at")}
   ${FROM} join bench_tpl_resources r on r.commit_id = t.commit_id where g.n >= $1 and g.n < $2`,
  `insert into artifacts (id, registry, project, repository, digest, tags, pushed_at, scan_status,
     severity, scan_summary, scanner, revision, commit_id, deleted_at, updated_at)
   select g.n * 2 + a.slot, a.registry, a.project, ${sub("a.repository")}, ${sub("a.digest")},
     ${subArray("a.tags")}, ${shift("a.pushed_at")}, a.scan_status, a.severity, ${sub("a.scan_summary::text")}::jsonb,
     a.scanner, ${sub("a.revision")}, g.n, a.deleted_at, g.committed_at
   ${FROM} join bench_tpl_artifacts a on a.commit_id = t.commit_id where g.n >= $1 and g.n < $2`,
  `insert into links (id, from_type, from_id, to_type, to_id, rule, evidence, created_at)
   select g.n * 16 + l.slot, 'commit', g.n, l.to_type,
     case l.to_type when 'resource' then g.n * 8 + r.slot else g.n * 2 + a.slot end,
     l.rule, ${sub("l.evidence")}, g.committed_at
   ${FROM} join bench_tpl_links l on l.from_id = t.commit_id
     left join bench_tpl_resources r on l.to_type = 'resource' and r.id = l.to_id
     left join bench_tpl_artifacts a on l.to_type = 'artifact' and a.id = l.to_id
   where g.n >= $1 and g.n < $2`,
  `insert into transitions (resource_id, status, reason, at)
   select g.n * 8 + r.slot, x.status, x.reason, ${shift("x.at")}
   ${FROM} join bench_tpl_resources r on r.commit_id = t.commit_id
     join bench_tpl_transitions x on x.resource_id = r.id
   where g.n >= $1 and g.n < $2 order by g.n, r.slot, x.id`,
];

async function seconds<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
}

/** Secondary indexes (not primary keys) of the loaded tables, dropped now and rebuilt later. */
async function dropIndexes(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.schemaname = 'public' and i.tablename = any($1) and i.indexname not like '%\\_pkey'`,
    [TABLES],
  );
  for (const row of rows) await pool.query(`drop index "${row.name}"`);
  return rows.map((row) => row.def);
}

/** Clones commits 1..count in chunks, two sessions side by side (one per core). */
async function clone(pool: pg.Pool, count: number, progress: (done: number) => void) {
  let next = 1;
  let done = 0;
  const worker = async () => {
    const client = await pool.connect();
    try {
      await bulkSession(client);
      while (next <= count) {
        const lo = next;
        next += CHUNK;
        const hi = Math.min(next, count + 1);
        await client.query("begin");
        for (const statement of CLONE) await client.query(statement, [lo, hi]);
        await client.query("commit");
        done += hi - lo;
        progress(done);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all([worker(), worker()]);
}

async function counts(pool: pg.Pool) {
  const { rows } = await pool.query<Record<string, string>>(
    `select (select count(*) from commits) as commits, (select count(*) from apps) as apps,
            (select count(*) from resources) as resources, (select count(*) from artifacts) as artifacts,
            (select count(*) from links) as links, (select count(*) from transitions) as transitions,
            pg_database_size(current_database()) / 1048576 as megabytes`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

/** Loads `commits` commits over APPS apps into an empty, migrated database. */
export async function loadReadDataset(
  url: string,
  commits: number,
  log: (line: string) => void = () => {},
): Promise<Dataset> {
  const pool = createPool(url, 3);
  try {
    const [templates, tplSeconds] = await seconds(() => stageTemplates(pool));
    await pool.query(
      `insert into apps (id, name, repo_url)
       select k, 'app' || k, 'https://gitlab.example.com/shop/app' || k from generate_series(0, $1::int) k`,
      [APPS - 1],
    );
    await pool.query(`select setval(pg_get_serial_sequence('apps', 'id'), ${APPS})`);
    await pool.query(GENERATE, [commits]);
    await pool.query("alter table bench_gen add primary key (n)");
    await pool.query(SUBSTITUTE);
    const indexes = await dropIndexes(pool);
    const [, cloneSeconds] = await seconds(() =>
      clone(pool, commits, (done) => {
        if (done % 20_000 === 0 || done === commits) log(`  cloned ${done} commits`);
      }),
    );
    const [, indexSeconds] = await seconds(async () => {
      const client = await pool.connect();
      try {
        await bulkSession(client);
        for (const def of indexes) await client.query(def);
        for (const table of TABLES) {
          await client.query(
            `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`,
          );
        }
      } finally {
        client.release();
      }
    });
    await pool.query("drop function bench_sub; drop table bench_gen");
    await dropTemplates(pool);
    const [, vacuumSeconds] = await seconds(() =>
      pool.query(`vacuum (analyze) apps, ${TABLES.join(", ")}`),
    );
    const n = await counts(pool);
    const statuses = await pool.query<{ status: string; n: string }>(
      "select status, count(*) as n from commits group by status order by count(*) desc",
    );
    return {
      commits: n.commits,
      apps: n.apps,
      resources: n.resources,
      artifacts: n.artifacts,
      links: n.links,
      transitions: n.transitions,
      megabytes: n.megabytes,
      statuses: Object.fromEntries(statuses.rows.map((r) => [r.status, Number(r.n)])),
      templates,
      seconds: {
        templates: tplSeconds,
        clone: cloneSeconds,
        indexes: indexSeconds,
        vacuum: vacuumSeconds,
      },
    };
  } finally {
    await pool.end();
  }
}
