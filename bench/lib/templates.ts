// The read benchmark's templates: one release per outcome ingested for real (Shiplog's own
// ingest()), then copied into bench_tpl_* tables with per-commit slot numbers, ready to clone.
import type pg from "pg";
import { ingest } from "../../lib/ingest/store";
import { OUTCOMES, releaseFacts } from "./release-template";
import { releaseKeys } from "./synthetic";

/** Release numbers and app names that appear nowhere else, so text replacement is exact. */
const TOKEN_BASE = 913_570_001;
const TEMPLATE_APPS = ["tplappa", "tplappb", "tplappc", "tplappd"];
export const INGEST_BASE = new Date("2026-11-25T10:00:00Z");

export type Template = { outcome: string; resources: number; links: number; transitions: number };

function variants() {
  return OUTCOMES.map((outcome, v) => {
    const token = String(TOKEN_BASE + v);
    const keys = releaseKeys(TOKEN_BASE + v);
    const short = keys.sha.slice(0, 7);
    const digestHex = keys.digest.slice("sha256:".length);
    // The short SHA is swapped through a marker: it must occur only where the full SHA's head does.
    if (digestHex.includes(short) || keys.manifests.includes(short)) {
      throw new Error(`template ${outcome}: pick another TOKEN_BASE (short SHA collides)`);
    }
    return { v, outcome, token, app: TEMPLATE_APPS[v], ...keys, digestHex };
  });
}

/** Ingests the templates into an empty, migrated database and stages them as bench_tpl_* tables. */
export async function stageTemplates(pool: pg.Pool): Promise<Template[]> {
  const all = variants();
  for (const t of all) {
    const batches = releaseFacts(Number(t.token), t.app, t.outcome);
    for (const [k, batch] of batches.entries()) {
      await ingest(pool, batch, new Date(INGEST_BASE.getTime() + k * 20_000));
    }
  }
  const orphans = await pool.query("select kind, name from resources where commit_id is null");
  if (orphans.rows.length > 0) {
    throw new Error(`template resources without a commit: ${JSON.stringify(orphans.rows)}`);
  }
  await pool.query(
    `create table bench_tpl_variant (v int primary key, commit_id bigint, token text, app text,
       sha text, digest text, manifests text)`,
  );
  for (const t of all) {
    await pool.query(
      `insert into bench_tpl_variant
       select $1, c.id, $2, $3, $4, $5, $6 from commits c where c.sha = $4`,
      [t.v, t.token, t.app, t.sha, t.digestHex, t.manifests],
    );
  }
  await pool.query(`
    create table bench_tpl_commits as select * from commits;
    create table bench_tpl_resources as
      select row_number() over (partition by commit_id order by id) - 1 as slot, * from resources;
    create table bench_tpl_artifacts as
      select row_number() over (partition by commit_id order by id) - 1 as slot, * from artifacts;
    create table bench_tpl_links as
      select row_number() over (partition by from_id order by id) - 1 as slot, * from links;
    create table bench_tpl_transitions as select * from transitions;
    truncate apps, commits, resources, transitions, links, artifacts, events restart identity cascade;`);
  const counts = await pool.query<{
    outcome: number;
    resources: string;
    links: string;
    transitions: string;
    slots: number;
  }>(
    `select t.v as outcome,
            (select count(*) from bench_tpl_resources r where r.commit_id = t.commit_id) as resources,
            (select count(*) from bench_tpl_links l where l.from_id = t.commit_id) as links,
            (select count(*) from bench_tpl_transitions x join bench_tpl_resources r on r.id = x.resource_id
              where r.commit_id = t.commit_id) as transitions,
            greatest((select max(slot) from bench_tpl_resources r where r.commit_id = t.commit_id),
                     (select max(slot) from bench_tpl_artifacts a where a.commit_id = t.commit_id)) as slots
       from bench_tpl_variant t order by t.v`,
  );
  if (counts.rows.length !== all.length) throw new Error("a template commit is missing");
  for (const row of counts.rows) {
    if (Number(row.slots) >= 8) throw new Error("a template has 8 or more resources: widen ids");
  }
  return counts.rows.map((row) => ({
    outcome: all[row.outcome].outcome,
    resources: Number(row.resources),
    links: Number(row.links),
    transitions: Number(row.transitions),
  }));
}

export async function dropTemplates(pool: pg.Pool): Promise<void> {
  await pool.query(`drop table if exists bench_tpl_variant, bench_tpl_commits, bench_tpl_resources,
    bench_tpl_artifacts, bench_tpl_links, bench_tpl_transitions`);
}
