// The children a PipelineRun's tasks become — TaskRuns, or CustomRuns for custom task refs — with
// Tekton's names, labels and owner, and their cancellation when the run is cancelled or times out.
import type { KubeObject, Store } from "../kube";
import type { SimContext } from "./context";
import { ownerReference } from "./pods";
import { getOrUndefined } from "./queue";
import { TEKTON_API, type PipelineTask } from "./tekton-catalog";
import { childLabels, isDone, substitute } from "./tekton-util";

export const DEFAULT_TIMEOUT = "1h0m0s";

export interface ChildRef {
  apiVersion: string;
  kind: string;
  name: string;
  pipelineTaskName: string;
}

export function isCustomTask(t: PipelineTask): boolean {
  return !!t.taskRef.apiVersion && !t.taskRef.apiVersion.startsWith("tekton.dev/");
}

export function createChild(
  ctx: SimContext,
  cluster: string,
  pr: KubeObject,
  task: PipelineTask,
  sub: { params: Record<string, unknown>; results: Record<string, Record<string, string>> },
): ChildRef {
  const name = `${pr.metadata.name}-${task.name}`;
  const params = (task.params ?? []).map((p) => ({
    name: p.name,
    value: substitute(p.value, sub),
  }));
  const sa =
    (pr.spec as { taskRunTemplate?: { serviceAccountName?: string } }).taskRunTemplate
      ?.serviceAccountName ?? "default";
  const metadata = {
    name,
    namespace: pr.metadata.namespace,
    labels: childLabels(pr, task.name),
    ownerReferences: [ownerReference(pr)],
  };
  if (isCustomTask(task)) {
    ctx.clusters[cluster].create({
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata,
      spec: {
        customRef: { apiVersion: task.taskRef.apiVersion, kind: task.taskRef.kind },
        params,
        serviceAccountName: sa,
        timeout: task.timeout ?? DEFAULT_TIMEOUT,
      },
    });
    const fact = ctx.ledger.pipelineRun(
      cluster,
      pr.metadata.namespace ?? "",
      pr.metadata.name ?? "",
    );
    const kind = task.taskRef.kind;
    if (fact && (kind === "Approval" || kind === "ApprovalTask")) {
      ctx.ledger.addGate({
        cluster: cluster,
        namespace: fact.namespace,
        name,
        app: fact.app,
        environment: fact.environment,
        digest: fact.digest,
        kind,
        pipelineRun: fact.name,
      });
    }
    return {
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      name,
      pipelineTaskName: task.name,
    };
  }
  ctx.clusters[cluster].create({
    apiVersion: TEKTON_API,
    kind: "TaskRun",
    metadata: {
      ...metadata,
      labels: {
        ...metadata.labels,
        "app.kubernetes.io/managed-by": "tekton-pipelines",
        "tekton.dev/task": task.taskRef.name ?? task.name,
      },
    },
    spec: {
      params,
      serviceAccountName: sa,
      taskRef: { kind: task.taskRef.kind ?? "Task", name: task.taskRef.name },
      timeout: task.timeout ?? DEFAULT_TIMEOUT,
    },
  });
  return { apiVersion: TEKTON_API, kind: "TaskRun", name, pipelineTaskName: task.name };
}

export function cancelChildren(store: Store, pr: KubeObject, why: string): void {
  const ns = pr.metadata.namespace ?? "";
  for (const ref of (pr.status as { childReferences?: ChildRef[] })?.childReferences ?? []) {
    const custom = ref.kind === "CustomRun";
    const type = custom ? "customruns.tekton.dev" : "taskruns.tekton.dev";
    const child = getOrUndefined(store, type, ns, ref.name);
    if (!child || isDone(child)) continue;
    store.patch(type, ns, ref.name, "merge", {
      spec: {
        status: custom ? "RunCancelled" : "TaskRunCancelled",
        statusMessage: `${custom ? "CustomRun" : "TaskRun"} cancelled as the PipelineRun it belongs to ${why}.`,
      },
    });
  }
}
