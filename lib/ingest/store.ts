// The one way observations enter Postgres: a batch is written in one transaction — records,
// resources, transitions, correlation links, commit summaries and the events that wake the
// browsers. Idempotent: the same batch twice, or an older version after a newer one, changes nothing.
import type pg from "pg";
import { transaction, type Queryable } from "../db/pool";
import type { Observation, Stage, Status } from "../sources/types";
import { summarizeStages } from "../timeline/summary";
import { upsertCommits } from "./commits";
import { upsertArtifact } from "./records";
import {
  rowUid,
  settleDeployHistory,
  upsertResources,
  type ResourceInput,
  type Scope,
} from "./resources";
import { correlate, propagateFrom, waitingForCommits, type Linkable, type Linked } from "./linker";

export type { Scope } from "./resources";

export type Incoming = {
  scope: Scope;
  observation: Observation;
  object?: unknown;
  deleted?: boolean;
};
export type IngestResult = { written: number; skipped: number; commits: bigint[] };

/** Objects whose revision names an app commit that Shiplog should know even before Git tells it. */
function foundsCommit(obs: Observation): boolean {
  return (
    obs.system === "git" ||
    (obs.system === "kpack" && obs.kind === "Build") ||
    (obs.system === "tekton" && obs.kind === "PipelineRun")
  );
}

/** Within a batch only the newest version of each object matters. */
function dedupe(inputs: ResourceInput[]): ResourceInput[] {
  const latest = new Map<string, ResourceInput>();
  for (const input of inputs) {
    const id = `${input.scope.cluster}\u0000${rowUid(input.observation)}`;
    const prior = latest.get(id);
    const newer =
      !prior ||
      input.deleted ||
      !/^\d+$/.test(input.observation.resourceVersion ?? "") ||
      !/^\d+$/.test(prior.observation.resourceVersion ?? "") ||
      BigInt(input.observation.resourceVersion as string) >=
        BigInt(prior.observation.resourceVersion as string);
    if (newer) latest.set(id, input);
  }
  return [...latest.values()];
}

async function refreshCommits(db: Queryable, commitIds: bigint[]): Promise<void> {
  if (commitIds.length === 0) return;
  const rows = await db.query<{
    commit_id: bigint;
    stage: Stage;
    status: Status;
    environment: string | null;
    started_at: Date | null;
  }>(
    `select commit_id, stage, status, environment, started_at from resources
      where commit_id = any($1::bigint[]) and stage is not null and observation->'details'->>'type' <> 'task'
     union all
     select commit_id, 'image', 'succeeded', null, pushed_at from artifacts
      where commit_id = any($1::bigint[]) and (pushed_at is not null or cardinality(tags) > 0)
     union all
     select commit_id, 'scan', scan_status, null, (scan_summary->>'startedAt')::timestamptz from artifacts
      where commit_id = any($1::bigint[]) and scan_status is not null`,
    [commitIds],
  );
  const byCommit = new Map<bigint, typeof rows.rows>();
  for (const row of rows.rows)
    byCommit.set(row.commit_id, [...(byCommit.get(row.commit_id) ?? []), row]);
  const updates = commitIds.map((id) => {
    const summary = summarizeStages(
      (byCommit.get(id) ?? []).map((row) => ({
        stage: row.stage,
        status: row.status,
        environment: row.environment,
        startedAt: row.started_at ? row.started_at.toISOString() : null,
      })),
    );
    return { id: String(id), status: summary.status, stages: summary.stages };
  });
  await db.query(
    `update commits c set status = u.status, stages = u.stages, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as u(id text, status text, stages jsonb) where c.id = u.id::bigint`,
    [JSON.stringify(updates)],
  );
}

async function announce(db: Queryable, commitIds: bigint[]): Promise<void> {
  if (commitIds.length === 0) return;
  const inserted = await db.query<{ id: bigint }>(
    `insert into events (type, payload)
     select 'timeline', jsonb_build_object('app', a.name, 'sha', c.sha)
       from commits c join apps a on a.id = c.app_id where c.id = any($1::bigint[])
     returning id`,
    [commitIds],
  );
  const last = inserted.rows.reduce((max, row) => (row.id > max ? row.id : max), 0n);
  await db.query("select pg_notify('shiplog_events', $1)", [String(last)]);
}

export async function ingest(
  pool: pg.Pool,
  batch: Incoming[],
  now = new Date(),
): Promise<IngestResult> {
  return transaction(pool, async (db) => {
    const touched = new Set<bigint>();
    const toLink: Linkable[] = [];
    const toPropagate: Linked[] = [];

    const upserted = await upsertCommits(
      db,
      batch
        .filter(({ observation }) => foundsCommit(observation))
        .map(({ observation }) => observation),
    );
    for (const commit of upserted) if (commit.fromGit) touched.add(commit.id);
    toLink.push(
      ...(await waitingForCommits(
        db,
        upserted.filter((c) => c.created).map((c) => c.sha),
      )),
    );

    for (const { observation } of batch.filter(
      ({ observation }) => observation.system === "harbor",
    )) {
      const artifact = await upsertArtifact(db, observation);
      if (!artifact) continue;
      const item: Linkable = { type: "artifact", id: artifact.id, observation };
      if (artifact.commitId === null) toLink.push(item);
      // An unchanged re-delivery (the reconcile poll) re-summarizes nothing and announces nothing.
      else if (artifact.changed) {
        touched.add(artifact.commitId);
        toPropagate.push({ item, commitId: artifact.commitId });
      }
    }

    const resources = dedupe(
      batch
        .filter(
          ({ observation }) => observation.system !== "git" && observation.system !== "harbor",
        )
        .map((input) => ({
          ...input,
          object: input.object ?? null,
          deleted: input.deleted ?? false,
        })),
    );
    const written = await upsertResources(db, resources, now);
    for (const row of written) {
      const item: Linkable = {
        type: "resource",
        id: row.id,
        cluster: row.cluster,
        observation: row.observation,
      };
      if (row.commitId === null) toLink.push(item);
      else {
        touched.add(row.commitId);
        if (row.changed) toPropagate.push({ item, commitId: row.commitId });
      }
    }

    for (const id of await settleDeployHistory(db, written, now)) touched.add(id);
    for (const id of await correlate(db, toLink)) touched.add(id);
    for (const id of await propagateFrom(db, toPropagate)) touched.add(id);

    const commits = [...touched];
    await refreshCommits(db, commits);
    await announce(db, commits);
    return { written: written.length, skipped: resources.length - written.length, commits };
  });
}
