// The one way observations enter Postgres: a batch is written in one transaction — records,
// resources, transitions, correlation links, commit summaries and the events that wake the
// browsers. Idempotent: the same batch twice, or an older version after a newer one, changes nothing.
import type pg from "pg";
import { transaction, type Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import { summarizeRows } from "../timeline/assemble";
import type { ArtifactRow, ResourceRow } from "../timeline/types";
import { upsertCommits } from "./commits";
import { upsertArtifacts } from "./artifacts";
import {
  rowUid,
  settleDeployHistory,
  upsertResources,
  type ResourceInput,
  type Scope,
} from "./resources";
import { correlate, propagateFrom, waitingForCommits, type Linkable, type Linked } from "./linker";

export type { Scope } from "./resources";

const INGEST_LOCK = 0x5_4150_494e; // shared by every replica; distinct from the watcher lock

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

/** commits.status and commits.stages, read from a commit's rows exactly as its timeline reads them. */
async function refreshCommits(db: Queryable, commitIds: bigint[]): Promise<void> {
  if (commitIds.length === 0) return;
  // Only the labels of the stored object matter to the summary: don't read whole objects here.
  const resources = await db.query<ResourceRow & { commitId: bigint }>(
    `select id, system, kind, cluster, namespace, name, uid, key, observation, stage, status, reason,
            started_at as "startedAt", finished_at as "finishedAt", parent_key as "parentKey", environment,
            deleted_at as "deletedAt", commit_id as "commitId",
            jsonb_build_object('metadata', jsonb_build_object('labels', object->'metadata'->'labels')) as object
       from resources where commit_id = any($1::bigint[]) order by id`,
    [commitIds],
  );
  const artifacts = await db.query<ArtifactRow & { commitId: bigint }>(
    `select id, project, repository, digest, tags, pushed_at as "pushedAt", scan_status as "scanStatus", severity,
            scan_summary as "scanSummary", scanner, deleted_at as "deletedAt", commit_id as "commitId"
       from artifacts where commit_id = any($1::bigint[]) order by id`,
    [commitIds],
  );
  const updates = commitIds.map((id) => {
    const summary = summarizeRows(
      resources.rows.filter((row) => row.commitId === id),
      artifacts.rows.filter((row) => row.commitId === id),
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
  // The events and the wake-up (the newest event's id) in one round trip.
  await db.query(
    `with inserted as (
       insert into events (type, payload)
       select 'timeline', jsonb_build_object('app', a.name, 'sha', c.sha)
         from commits c join apps a on a.id = c.app_id where c.id = any($1::bigint[])
       returning id)
     select pg_notify('shiplog_events', coalesce(max(id), 0)::text) from inserted`,
    [commitIds],
  );
}

export async function ingest(
  pool: pg.Pool,
  batch: Incoming[],
  now = new Date(),
): Promise<IngestResult> {
  return transaction(pool, async (db) => {
    // One writer at a time, across replicas: a webhook's artifact and a watcher's Build landing in
    // two concurrent transactions would each miss the other's row, and their link would never form.
    await db.query("select pg_advisory_xact_lock($1)", [INGEST_LOCK]);
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

    const harbor = batch
      .filter(({ observation }) => observation.system === "harbor")
      .map(({ observation }) => observation);
    const artifacts = await upsertArtifacts(db, harbor);
    for (const [i, observation] of harbor.entries()) {
      const artifact = artifacts[i];
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
        environment: row.environment,
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
