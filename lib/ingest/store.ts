// The one way observations enter Postgres: a batch is written in one transaction — records,
// resources, transitions, correlation links, commit summaries and the events that wake the
// browsers. Idempotent: the same batch twice, or an older version after a newer one, changes nothing.
import { lockEvents } from "../db/events";
import type pg from "pg";
import { transaction, type Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import { summarizeRows } from "../timeline/assemble";
import type { ArtifactRow, ResourceRow } from "../timeline/types";
import { upsertCommits } from "./commits";
import { upsertArtifacts } from "./artifacts";
import {
  encodeRows,
  rowEnvironment,
  rowUid,
  settleDeployHistory,
  stageRows,
  upsertResources,
  type ResourceInput,
  type Scope,
  type StagedRows,
} from "./resources";
import type { Candidate, Settled } from "./link-types";
import {
  decideLinks,
  linkAll,
  propagateFrom,
  waitingForCommits,
  type Linkable,
  type Linked,
} from "./linker";

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

/** A row's identity in the store: its cluster and uid. */
const rowKey = (cluster: string, obs: Observation) => `${cluster}\u0000${rowUid(obs)}`;

/** Within a batch only the newest version of each object matters. */
function dedupe(inputs: ResourceInput[]): ResourceInput[] {
  const latest = new Map<string, ResourceInput>();
  for (const input of inputs) {
    const id = rowKey(input.scope.cluster, input.observation);
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

type InMemory = Pick<ResourceRow, "observation" | "object">;

/** What the summary reads of a stored object: its labels (null when it has none), as SQL gives them. */
const labelsOnly = (object: unknown) => ({
  metadata: {
    labels: (object as { metadata?: { labels?: unknown } } | null)?.metadata?.labels ?? null,
  },
});

/** Rows by the commit they are on, each list in the order given. */
function byCommit<T extends { commitId: bigint }>(rows: T[]): Map<bigint, T[]> {
  const groups = new Map<bigint, T[]>();
  for (const row of rows) {
    const group = groups.get(row.commitId);
    if (group) group.push(row);
    else groups.set(row.commitId, [row]);
  }
  return groups;
}

/**
 * commits.status and commits.stages, read from a commit's rows exactly as its timeline reads them.
 * The rows this batch wrote are in memory (`written`, by id): Postgres sends their observations
 * only for older rows.
 */
async function refreshCommits(
  db: Queryable,
  commitIds: bigint[],
  written: ReadonlyMap<bigint, InMemory>,
): Promise<void> {
  if (commitIds.length === 0) return;
  // Only the labels of the stored object matter to the summary: don't read whole objects here.
  const resources = await db.query<ResourceRow & { commitId: bigint }>(
    `select id, system, kind, cluster, namespace, name, uid, key, stage, status, reason,
            started_at as "startedAt", finished_at as "finishedAt", parent_key as "parentKey", environment,
            deleted_at as "deletedAt", commit_id as "commitId",
            case when id = any($2::bigint[]) then null else observation end as observation,
            case when id = any($2::bigint[]) then null
                 else jsonb_build_object('metadata', jsonb_build_object('labels', object->'metadata'->'labels'))
            end as object
       from resources where commit_id = any($1::bigint[]) order by id`,
    [commitIds, [...written.keys()]],
  );
  const rows = resources.rows.map((row) => ({ ...row, ...written.get(row.id) }));
  const artifacts = await db.query<ArtifactRow & { commitId: bigint }>(
    `select id, project, repository, digest, tags, pushed_at as "pushedAt", scan_status as "scanStatus", severity,
            scan_summary as "scanSummary", scanner, deleted_at as "deletedAt", commit_id as "commitId"
       from artifacts where commit_id = any($1::bigint[]) order by id`,
    [commitIds],
  );
  const rowsOf = byCommit(rows);
  const artifactsOf = byCommit(artifacts.rows);
  const updates = commitIds.map((id) => {
    const summary = summarizeRows(rowsOf.get(id) ?? [], artifactsOf.get(id) ?? []);
    return { id: String(id), status: summary.status, stages: summary.stages };
  });
  await db.query(
    // A new generation: the stored timelines of these commits are out of date (lib/db/timeline.ts).
    `update commits c set status = u.status, stages = u.stages, timeline_gen = c.timeline_gen + 1,
            updated_at = now()
       from jsonb_to_recordset($1::jsonb) as u(id text, status text, stages jsonb) where c.id = u.id::bigint`,
    [JSON.stringify(updates)],
  );
}

async function announce(db: Queryable, commitIds: bigint[]): Promise<void> {
  if (commitIds.length === 0) return;
  await lockEvents(db);
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

/** What the phases of one batch's write hand on to the next. */
type BatchState = {
  /** The commits whose timelines changed. */
  touched: Set<bigint>;
  /** Stored rows not on a commit yet. */
  toLink: Linkable[];
  /** Rows now on a commit whose keys may tie others to it. */
  frontier: Linked[];
  /** Links decided for this batch, to record (and to write for stored rows). */
  candidates: Candidate[];
  /** The rows this batch wrote, as the commit summaries read them. */
  inMemory: Map<bigint, InMemory>;
};

/** Commits the batch names (Git pushes, and revisions Builds and PipelineRuns name). */
async function storeCommits(db: Queryable, batch: Incoming[], state: BatchState) {
  const upserted = await upsertCommits(
    db,
    batch.filter(({ observation }) => foundsCommit(observation)).map((i) => i.observation),
  );
  for (const commit of upserted) if (commit.fromGit) state.touched.add(commit.id);
  const created = upserted.filter((c) => c.created).map((c) => c.sha);
  state.toLink.push(...(await waitingForCommits(db, created)));
}

/** Harbor's artifacts and scans, merged into their rows. */
async function storeArtifacts(db: Queryable, batch: Incoming[], state: BatchState) {
  const harbor = batch.filter((i) => i.observation.system === "harbor").map((i) => i.observation);
  const artifacts = await upsertArtifacts(db, harbor);
  for (const [i, observation] of harbor.entries()) {
    const artifact = artifacts[i];
    if (!artifact) continue;
    const item: Linkable = { type: "artifact", id: artifact.id, observation };
    if (artifact.commitId === null) state.toLink.push(item);
    // An unchanged re-delivery (the reconcile poll) re-summarizes nothing and announces nothing.
    else if (artifact.changed) {
      state.touched.add(artifact.commitId);
      state.frontier.push({ item, commitId: artifact.commitId });
    }
  }
}

/**
 * The cluster objects, each written once and already on the commit decided for it (with the
 * stored rows waiting to link, in one read of the facts). Returns the rows written.
 */
async function storeResources(
  db: Queryable,
  resources: ResourceInput[],
  staged: StagedRows | null,
  state: BatchState,
  now: Date,
) {
  const { toLink } = state;
  const decisions = await decideLinks(db, [
    ...toLink.map((item) =>
      item.type === "resource"
        ? {
            observation: item.observation,
            cluster: item.cluster,
            environment: item.environment ?? null,
          }
        : { observation: item.observation, cluster: null, environment: null },
    ),
    ...resources.map((input) => ({
      observation: input.observation,
      cluster: input.scope.cluster,
      environment: rowEnvironment(input),
    })),
  ]);
  toLink.forEach((item, i) => {
    const decision = decisions[i];
    if (decision) state.candidates.push({ item, ...decision });
  });
  const incoming = new Map(
    resources.map((input, i) => [
      rowKey(input.scope.cluster, input.observation),
      { object: input.object, decision: decisions[toLink.length + i] },
    ]),
  );
  const written = await upsertResources(
    db,
    staged,
    resources.map((_, i) => decisions[toLink.length + i]?.commitId),
    now,
  );
  for (const row of written) {
    const { object, decision } = incoming.get(rowKey(row.cluster, row.observation)) ?? {};
    state.inMemory.set(row.id, { observation: row.observation, object: labelsOnly(object) });
    if (row.commitId === null) continue;
    const item: Linkable = {
      type: "resource",
      id: row.id,
      cluster: row.cluster,
      environment: row.environment,
      observation: row.observation,
    };
    state.touched.add(row.commitId);
    if (row.priorCommitId === null && decision) {
      // On its commit by this write: the link is still to record, and its keys to follow.
      state.candidates.push({ item, ...decision, current: row.commitId });
      state.frontier.push({ item, commitId: row.commitId, rule: decision.rule });
    } else if (row.changed) state.frontier.push({ item, commitId: row.commitId });
  }
  return written;
}

/** Records the batch's links, then follows every new key to the stored rows it ties. */
async function link(db: Queryable, state: BatchState) {
  const { candidates, touched } = state;
  const moved = new Set<bigint>();
  const linked = await linkAll(db, candidates, moved);
  for (const { commitId } of linked) touched.add(commitId);
  for (const id of moved) touched.add(id);
  // What this batch linked by its own decisions is settled; its keys still go to stored rows.
  const settled: Settled = { resources: [], artifacts: [] };
  for (const { item } of candidates)
    (item.type === "resource" ? settled.resources : settled.artifacts).push(item.id);
  for (const id of await propagateFrom(db, [...state.frontier, ...linked], settled))
    touched.add(id);
}

/**
 * Takes the ingest lock, and the planner settings every statement of a batch runs with, for the
 * rest of the transaction.
 */
export async function takeIngestLock(db: Queryable): Promise<void> {
  // One writer at a time, across replicas: a webhook's artifact and a watcher's Build landing
  // in two concurrent transactions would each miss the other's row, and their link would never
  // form. Every lookup of ingest is by key, never a scan of history. A young database has no
  // statistics yet, and without them the planner takes a batch's hundred keys for a third of
  // the table and scans it: without sequential scans it uses the indexes as intended. Nor do
  // key lookups gain from parallel workers, whose start costs more than the lookups (≈ 40 ms
  // a statement here), or from JIT compilation (which the cost of a disabled scan would invite).
  await db.query(
    `select pg_advisory_xact_lock($1), set_config('enable_seqscan', 'off', true),
            set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`,
    [INGEST_LOCK],
  );
}

/**
 * The order of a stream of batches (ingestInOrder): a batch takes the ingest lock only once the
 * one before holds it, and tells the next when it does.
 */
export type Turn = { after: Promise<void>; locked: () => void };

/**
 * Writes one batch in one transaction. The batch's objects are staged first (parsed into a
 * temporary table), then the ingest lock is taken and everything else runs under it.
 */
export async function ingest(
  pool: pg.Pool,
  batch: Incoming[],
  now = new Date(),
  turn?: Turn,
): Promise<IngestResult> {
  try {
    return await write(pool, batch, now, turn);
  } finally {
    // Also when the batch failed before its turn: the next one must not wait for it forever.
    turn?.locked();
  }
}

async function write(
  pool: pg.Pool,
  batch: Incoming[],
  now: Date,
  turn: Turn | undefined,
): Promise<IngestResult> {
  const resources = dedupe(
    batch
      .filter(({ observation }) => observation.system !== "git" && observation.system !== "harbor")
      .map((input) => ({
        ...input,
        object: input.object ?? null,
        deleted: input.deleted ?? false,
      })),
  );
  const staged = encodeRows(resources, now);
  return transaction(pool, async (db) => {
    if (staged) await stageRows(db, staged);
    await turn?.after;
    await takeIngestLock(db);
    turn?.locked();
    const state: BatchState = {
      touched: new Set(),
      toLink: [],
      frontier: [],
      candidates: [],
      inMemory: new Map(),
    };
    await storeCommits(db, batch, state);
    await storeArtifacts(db, batch, state);
    const written = await storeResources(db, resources, staged, state, now);
    for (const id of await settleDeployHistory(db, written, now)) state.touched.add(id);
    await link(db, state);

    const commits = [...state.touched];
    await refreshCommits(db, commits, state.inMemory);
    await announce(db, commits);
    return { written: written.length, skipped: resources.length - written.length, commits };
  });
}

/**
 * Ingest for a stream of batches, in the order they are given: each batch is staged while the
 * one before holds the lock, so that Postgres parses the next objects on another core meanwhile.
 */
export function ingestInOrder(pool: pg.Pool) {
  let last: Promise<void> = Promise.resolve();
  return (batch: Incoming[], now?: Date): Promise<IngestResult> => {
    const after = last;
    let locked = () => {};
    last = new Promise((resolve) => (locked = resolve));
    return ingest(pool, batch, now, { after, locked });
  };
}
