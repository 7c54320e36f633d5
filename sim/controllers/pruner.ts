// History limits, as the real clusters keep them: kpack deletes Builds past the Image's
// success/failed history limits, the Tekton pruner keeps the newest runs per pipeline. Their Pods
// and children go too (the simulated apiserver has no garbage collector); the ledger keeps each
// deleted object's last status for the ground truth.
import type { KubeObject, Store } from "../kube";
import type { SimContext } from "./context";
import { isDone, succeeded } from "./tekton-util";

/** Finished PipelineRuns kept per pipeline and namespace, unless the scenario says otherwise. */
export const KEEP_PIPELINE_RUNS = 50;

const byAge = (a: KubeObject, b: KubeObject) =>
  String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
  String(a.metadata.name).localeCompare(String(b.metadata.name));

function remove(ctx: SimContext, cluster: string, type: string, obj: KubeObject): void {
  ctx.ledger.remember(cluster, type, obj);
  try {
    ctx.clusters[cluster].delete(type, obj.metadata.namespace, obj.metadata.name ?? "");
  } catch {
    // already gone
  }
}

function removePods(ctx: SimContext, cluster: string, store: Store, ns: string, selector: string) {
  for (const pod of store.list("pods", { namespace: ns, labelSelector: selector }).items) {
    remove(ctx, cluster, "pods", pod);
  }
}

/** kpack's build history: keep the newest successBuildHistoryLimit / failedBuildHistoryLimit. */
export function pruneBuilds(ctx: SimContext, image: KubeObject, builds: KubeObject[]): void {
  const cluster = ctx.config.buildCluster;
  const store = ctx.clusters[cluster];
  const spec = image.spec as {
    successBuildHistoryLimit?: number;
    failedBuildHistoryLimit?: number;
  };
  const finished = builds.filter(isDone).sort(byAge);
  const ok = finished.filter((b) => succeeded(b)?.status === "True");
  const failed = finished.filter((b) => succeeded(b)?.status === "False");
  const excess = [
    ...ok.slice(0, Math.max(0, ok.length - (spec.successBuildHistoryLimit ?? 10))),
    ...failed.slice(0, Math.max(0, failed.length - (spec.failedBuildHistoryLimit ?? 10))),
  ];
  for (const b of excess) {
    removePods(
      ctx,
      cluster,
      store,
      b.metadata.namespace ?? "",
      `kpack.io/build=${b.metadata.name}`,
    );
    remove(ctx, cluster, "builds.kpack.io", b);
  }
}

/** The Tekton pruner: the newest `keepPipelineRuns` finished runs of the pipeline stay. */
export function prunePipelineRuns(ctx: SimContext, cluster: string, pr: KubeObject): void {
  const pipeline = pr.metadata.labels?.["tekton.dev/pipeline"];
  const ns = pr.metadata.namespace ?? "";
  if (!pipeline) return;
  const store = ctx.clusters[cluster];
  const done = store
    .list("pipelineruns.tekton.dev", {
      namespace: ns,
      labelSelector: `tekton.dev/pipeline=${pipeline}`,
    })
    .items.filter(isDone)
    .sort(byAge);
  const keep = ctx.config.keepPipelineRuns ?? KEEP_PIPELINE_RUNS;
  for (const old of done.slice(0, Math.max(0, done.length - keep))) {
    const selector = `tekton.dev/pipelineRun=${old.metadata.name}`;
    for (const type of [
      "taskruns.tekton.dev",
      "customruns.tekton.dev",
      "approvaltasks.openshift-pipelines.org",
    ]) {
      for (const child of store.list(type, { namespace: ns, labelSelector: selector }).items) {
        remove(ctx, cluster, type, child);
      }
    }
    removePods(ctx, cluster, store, ns, selector);
    remove(ctx, cluster, "pipelineruns.tekton.dev", old);
  }
}
