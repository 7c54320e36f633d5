// Data access of the run detail: a stored PipelineRun or Build with its TaskRuns, its commit, and
// the step log tails kept in `step_logs` (read here, written by the step-log keeper).
import type { Queryable } from "./pool";
import type { RunInput, RunKind, RunRow, StoredLogRef } from "@/lib/runs/types";

export type RunRef = { cluster: string; namespace: string; kind: RunKind; name: string };

const SYSTEM: Record<RunKind, string> = { PipelineRun: "tekton", Build: "kpack" };

const ROW_COLUMNS = `kind, cluster, namespace, name, uid, status, started_at as "startedAt",
  finished_at as "finishedAt", deleted_at as "deletedAt", object, observation`;

// By (cluster, key), an indexed lookup. A name may be reused after a run was deleted: the live
// object wins, else the one seen last.
const RUN = `
  select ${ROW_COLUMNS}, commit_id as "commitId"
    from resources where cluster = $1 and key = $2
   order by deleted_at is not null, id desc
   limit 1`;

// The TaskRuns of that PipelineRun (by parent key, indexed), not those of an older namesake.
export const CHILDREN = `
  select ${ROW_COLUMNS}
    from resources
   where cluster = $1 and parent_key = $2 and kind = 'TaskRun'
     and coalesce(observation->'parent'->>'uid', $3) = $3
   order by id`;

const COMMIT = `
  select a.name as app, c.sha from commits c join apps a on a.id = c.app_id where c.id = $1`;

const STORED = `
  select pod, container, step from step_logs
   where cluster = $1 and namespace = $2 and pod = any($3::text[])
   order by pod, container`;

/** The object's own metadata.uid, which its children name as their parent's. */
function objectUid(run: RunRow): string {
  const uid = (run.object as { metadata?: { uid?: unknown } } | null)?.metadata?.uid;
  return typeof uid === "string" && uid !== "" ? uid : run.uid;
}

/** Everything assembly needs for one run, or null when Shiplog never saw it. */
export async function loadRun(db: Queryable, ref: RunRef): Promise<RunInput | null> {
  const key = `${SYSTEM[ref.kind]}:${ref.kind}:${ref.namespace}/${ref.name}`;
  const found = await db.query<RunRow & { commitId: bigint | null }>(RUN, [ref.cluster, key]);
  const row = found.rows[0];
  if (!row) return null;
  const { commitId, ...run } = row;
  const [children, commit] = await Promise.all([
    ref.kind === "PipelineRun"
      ? db.query<RunRow>(CHILDREN, [ref.cluster, key, objectUid(run)]).then((r) => r.rows)
      : Promise.resolve([] as RunRow[]),
    commitId === null
      ? Promise.resolve(null)
      : db.query<{ app: string; sha: string }>(COMMIT, [commitId]).then((r) => r.rows[0] ?? null),
  ]);
  const pods = [run, ...children]
    .map((r) => (r.object as { status?: { podName?: unknown } } | null)?.status?.podName)
    .filter((p): p is string => typeof p === "string" && p !== "");
  const storedLogs =
    pods.length === 0
      ? []
      : (await db.query<StoredLogRef>(STORED, [ref.cluster, ref.namespace, pods])).rows;
  return { run, children, commit, storedLogs };
}

export type StepLogKey = { cluster: string; namespace: string; pod: string; container: string };
export type StoredStepLog = { tail: string; truncated: boolean; capturedAt: Date };

export async function readStepLog(db: Queryable, key: StepLogKey): Promise<StoredStepLog | null> {
  const result = await db.query<StoredStepLog>(
    `select tail, truncated, captured_at as "capturedAt" from step_logs
      where cluster = $1 and namespace = $2 and pod = $3 and container = $4`,
    [key.cluster, key.namespace, key.pod, key.container],
  );
  return result.rows[0] ?? null;
}

export async function hasStepLog(db: Queryable, key: StepLogKey): Promise<boolean> {
  const result = await db.query(
    `select 1 from step_logs where cluster = $1 and namespace = $2 and pod = $3 and container = $4`,
    [key.cluster, key.namespace, key.pod, key.container],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Keeps a step's log tail; the first capture of a container wins, a repeat changes nothing. */
export async function saveStepLog(
  db: Queryable,
  log: StepLogKey & { resourceUid: string; step: string; tail: string; truncated: boolean },
  capturedAt = new Date(),
): Promise<boolean> {
  const result = await db.query(
    `insert into step_logs (cluster, namespace, pod, container, resource_uid, step, tail, truncated, captured_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (cluster, namespace, pod, container) do nothing`,
    [
      log.cluster,
      log.namespace,
      log.pod,
      log.container,
      log.resourceUid,
      log.step,
      // Postgres text cannot hold NUL; a binary byte in a log must not lose the whole tail.
      log.tail.replaceAll("\u0000", ""),
      log.truncated,
      capturedAt.toISOString(),
    ],
  );
  return (result.rowCount ?? 0) > 0;
}
