// The step-log keeper: when ingest stores a TaskRun or kpack Build that finished with a failed
// step, the tail of that step's log is read from the pod and kept in `step_logs`, so it still shows
// after the cluster prunes the run. Runs beside the watchers; never holds up ingest.
import type pg from "pg";
import { hasStepLog, saveStepLog, type StepLogKey } from "../db/runs";
import type { ClusterConnection } from "../k8s/kubeconfig";
import { readContainerLog, readPodContainers } from "../k8s/logs";
import { failedSteps, kpackSteps, tektonSteps, type StepState } from "../runs/steps";
import type { Observation } from "../sources/types";
import { get, str } from "../sources/values";

type Logger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
};

/** What ingest hands over: the shape of a stored watch event (lib/ingest/store.ts Incoming). */
export type Observed = {
  scope: { cluster: string };
  observation: Observation;
  object?: unknown;
  deleted?: boolean;
};

export type StepLogKeeperOptions = {
  clusters: ClusterConnection[];
  pool: pg.Pool;
  log: Logger;
  /** Tries per pod before giving up (default 5), the first retry after `backoffMs` (default 1 s), doubling. */
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  tailLines?: number;
  maxBytes?: number;
};

export type StepLogKeeper = {
  observe(batch: Observed[]): void;
  /** Resolves when nothing is queued, waiting for a retry or being read. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

type Job = {
  cluster: string;
  namespace: string;
  pod: string;
  uid: string;
  kind: "TaskRun" | "Build";
  object: unknown;
  /** TaskRun: the failed steps, from its status; Build: found from the pod's containers. */
  steps: StepState[];
  attempt: number;
};

export const TAIL_LINES = 200;
export const TAIL_BYTES = 64 * 1024;

/** The failed run's pod and, for a TaskRun, its failed steps; null when there is nothing to keep. */
export function jobFor(incoming: Observed): Job | null {
  const { observation: obs, object } = incoming;
  if (incoming.deleted || obs.status !== "failed" || !obs.namespace) return null;
  const tekton = obs.system === "tekton" && obs.kind === "TaskRun";
  const kpack = obs.system === "kpack" && obs.kind === "Build";
  if (!tekton && !kpack) return null;
  const pod = str(get(object, "status", "podName"));
  if (!pod) return null;
  const steps = tekton ? failedSteps(tektonSteps(object, "failed")) : [];
  if (tekton && steps.length === 0) return null;
  return {
    cluster: incoming.scope.cluster,
    namespace: obs.namespace,
    pod,
    uid: obs.uid ?? obs.key,
    kind: tekton ? "TaskRun" : "Build",
    object,
    steps,
    attempt: 0,
  };
}

export function startStepLogKeeper(options: StepLogKeeperOptions): StepLogKeeper {
  const { pool, log } = options;
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  const concurrency = options.concurrency ?? 2;
  const limits = {
    tailLines: options.tailLines ?? TAIL_LINES,
    maxBytes: options.maxBytes ?? TAIL_BYTES,
  };
  const clusters = new Map(options.clusters.map((c) => [c.context, c.kubeConfig]));
  const queue: Job[] = [];
  const known = new Set<string>(); // pods queued, being read, waiting for a retry, or done
  const retries = new Set<NodeJS.Timeout>();
  let active = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const podKey = (j: Pick<Job, "cluster" | "namespace" | "pod">) =>
    `${j.cluster}\u0000${j.namespace}\u0000${j.pod}`;

  const settle = () => {
    if (queue.length === 0 && active === 0 && retries.size === 0) {
      for (const resolve of waiters) resolve();
      waiters = [];
    }
  };

  /** Reads and keeps each failed step's tail; true when the pod is done with (kept or gone). */
  async function keep(job: Job): Promise<void> {
    const kubeConfig = clusters.get(job.cluster);
    const where = { cluster: job.cluster, namespace: job.namespace, pod: job.pod };
    if (!kubeConfig) return;
    let steps = job.steps;
    if (job.kind === "Build") {
      const containers = await readPodContainers(kubeConfig, job.namespace, job.pod);
      if (containers === "gone") {
        log.info(where, "the build pod is already gone; its log cannot be kept");
        return;
      }
      steps = failedSteps(kpackSteps(job.object, "failed", [], containers));
    }
    for (const step of steps) {
      const key: StepLogKey = { ...where, container: step.container };
      if (await hasStepLog(pool, key)) continue;
      const read = await readContainerLog(kubeConfig, key, limits);
      if (read.state === "gone") {
        log.info(where, "the pod is already gone; its log cannot be kept");
        return;
      }
      if (read.state === "unavailable") {
        log.warn({ ...key, reason: read.message }, "the failed step's log cannot be read");
        continue;
      }
      await saveStepLog(pool, {
        ...key,
        resourceUid: job.uid,
        step: step.name,
        tail: read.text,
        truncated: read.truncated,
      });
      log.info({ ...key, step: step.name, bytes: read.text.length }, "kept a failed step's log");
    }
  }

  const pump = () => {
    while (!stopped && active < concurrency && queue.length > 0) {
      const job = queue.shift() as Job;
      active++;
      void keep(job)
        .catch((err: unknown) => {
          job.attempt++;
          const where = { cluster: job.cluster, namespace: job.namespace, pod: job.pod };
          if (stopped) return;
          if (job.attempt >= attempts) {
            log.error({ ...where, err, attempts: job.attempt }, "gave up keeping a step's log");
            return;
          }
          const delay = backoffMs * 2 ** (job.attempt - 1);
          log.warn(
            { ...where, err, attempt: job.attempt, delay },
            "reading a step's log failed; retrying",
          );
          const timer = setTimeout(() => {
            retries.delete(timer);
            queue.push(job);
            pump();
          }, delay);
          retries.add(timer);
        })
        .finally(() => {
          active--;
          pump();
          settle();
        });
    }
    settle();
  };

  return {
    observe(batch) {
      if (stopped) return;
      for (const incoming of batch) {
        const job = jobFor(incoming);
        if (!job || known.has(podKey(job))) continue;
        // A bound on memory, not on correctness: a pod seen again is found in step_logs.
        if (known.size > 50_000) known.clear();
        known.add(podKey(job));
        queue.push(job);
      }
      pump();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      }),
    async stop() {
      stopped = true;
      queue.length = 0;
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
      while (active > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      settle();
    },
  };
}
