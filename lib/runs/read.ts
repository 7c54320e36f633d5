// What the run endpoints answer: a run's detail from Postgres, and a step's log — from its pod while
// the pod exists, else the tail Postgres kept when the step failed.
import "server-only";
import { loadRun, readStepLog, type RunRef } from "@/lib/db/runs";
import { pool, type Queryable } from "@/lib/db/pool";
import { NotFound, Upstream } from "@/lib/errors";
import {
  clusterConfig,
  readContainerLog,
  readPodContainers,
  type ClusterConfig,
} from "@/lib/k8s/logs";
import { log } from "@/lib/log";
import { assembleRunDetail, findStep } from "./assemble";
import type { PodContainer } from "./steps";
import type { RunDetail } from "./types";
import { isFinished } from "@/lib/sources/types";

/** What a log read through the API may return at most: the last 2,000 lines, 1 MiB. */
export const POD_LOG_LINES = 2000;
export const POD_LOG_BYTES = 1024 * 1024;

export interface ReadDeps {
  db?: Queryable;
  cluster?: (context: string) => ClusterConfig | null;
  now?: Date;
}

export type RunLog = { text: string; source: "pod" | "stored"; truncated: boolean };

function describe(ref: RunRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name} in cluster ${ref.cluster}`;
}

/** A running Build's pod names its phases exactly; a failed read only loses that precision. */
async function buildPod(
  kubeConfig: ClusterConfig,
  namespace: string,
  pod: string,
): Promise<PodContainer[] | undefined> {
  try {
    const containers = await readPodContainers(kubeConfig, namespace, pod);
    return containers === "gone" ? undefined : containers;
  } catch (err) {
    log.warn({ namespace, pod, err }, "reading a build pod failed");
    return undefined;
  }
}

export async function getRunDetail(ref: RunRef, deps: ReadDeps = {}): Promise<RunDetail> {
  const db = deps.db ?? pool();
  const input = await loadRun(db, ref);
  if (!input) throw new NotFound(`Shiplog has not seen ${describe(ref)}`);
  const kubeConfig = (deps.cluster ?? clusterConfig)(ref.cluster);
  const podName = (input.run.object as { status?: { podName?: unknown } } | null)?.status?.podName;
  const pod =
    ref.kind === "Build" &&
    kubeConfig &&
    input.run.deletedAt === null &&
    !isFinished(input.run.status) &&
    typeof podName === "string" &&
    podName
      ? await buildPod(kubeConfig, ref.namespace, podName)
      : undefined;
  return assembleRunDetail(input, {
    now: deps.now ?? new Date(),
    podLogs: kubeConfig !== null,
    buildPod: pod,
  });
}

/** A step's log: the pod's (tailed) while it answers, else the kept tail; NotFound when neither. */
export async function readRunLog(
  ref: RunRef,
  groupName: string,
  stepName: string,
  deps: ReadDeps = {},
): Promise<RunLog> {
  const db = deps.db ?? pool();
  const detail = await getRunDetail(ref, { ...deps, db });
  const found = findStep(detail, groupName, stepName);
  if (!found) throw new NotFound(`${describe(ref)} has no step ${stepName} in ${groupName}`);
  const { group, step } = found;
  if (!group.podName) throw new NotFound(`${groupName} has no pod, so no logs`);
  const target = { namespace: ref.namespace, pod: group.podName, container: step.container };
  let upstream: unknown;
  const kubeConfig = (deps.cluster ?? clusterConfig)(ref.cluster);
  if (step.log === "pod" && kubeConfig) {
    try {
      const read = await readContainerLog(kubeConfig, target, {
        tailLines: POD_LOG_LINES,
        maxBytes: POD_LOG_BYTES,
      });
      if (read.state === "ok") return { text: read.text, source: "pod", truncated: read.truncated };
    } catch (err) {
      upstream = err;
      log.warn({ cluster: ref.cluster, ...target, err }, "reading a pod log failed");
    }
  }
  const stored = await readStepLog(db, { cluster: ref.cluster, ...target });
  if (stored) return { text: stored.tail, source: "stored", truncated: stored.truncated };
  if (upstream) throw new Upstream(`the cluster did not give the log of ${step.container}`);
  throw new NotFound(
    step.status === "pending"
      ? `step ${stepName} of ${groupName} has not started`
      : `the log of step ${stepName} of ${groupName} is gone with its pod and was not kept`,
  );
}
