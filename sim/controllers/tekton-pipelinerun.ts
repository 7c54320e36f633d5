// Tekton's PipelineRun reconciler for one cluster: pending, cancel and timeout handling, the
// pipeline's tasks run in order as TaskRuns or (for custom task refs) CustomRuns, childReferences,
// conditions with Tekton's reasons and messages, and the pipeline results.
import type { KubeObject, Store } from "../kube";
import type { SimContext } from "./context";
import { kubeTime } from "./clock";
import { cancelChildren, createChild, DEFAULT_TIMEOUT, type ChildRef } from "./tekton-children";
import { prunePipelineRuns } from "./pruner";
import { getOrUndefined, splitKey, watchKind, WorkQueue } from "./queue";
import { CI_NAMESPACE, type PipelineSpec } from "./tekton-catalog";
import {
  condition,
  isDone,
  paramMap,
  parseDuration,
  substitute,
  succeeded,
  type Condition,
  type Named,
} from "./tekton-util";

const CANCEL = ["Cancelled", "CancelledRunFinally", "StoppedRunFinally"];

export class PipelineRunController {
  private readonly queue: WorkQueue;
  private readonly stops: Array<() => void> = [];
  private readonly timers = new Set<string>();

  constructor(
    private readonly ctx: SimContext,
    readonly cluster: string,
  ) {
    this.queue = new WorkQueue(
      `tekton/${cluster}`,
      (k) => this.reconcile(k),
      ctx.scheduler,
      ctx.log,
    );
  }

  private get store(): Store {
    return this.ctx.clusters[this.cluster];
  }

  start(): void {
    const parent = (key: string, ev: { object: unknown }) => {
      const pr = (ev.object as KubeObject).metadata.labels?.["tekton.dev/pipelineRun"];
      if (pr) this.queue.add(`${splitKey(key)[0]}/${pr}`);
    };
    const handles = [
      watchKind(this.store, "pipelineruns.tekton.dev", (key) => this.queue.add(key)),
      watchKind(this.store, "taskruns.tekton.dev", parent),
      watchKind(this.store, "customruns.tekton.dev", parent),
    ];
    this.stops.push(...handles.map((h) => () => h.stop()));
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  private reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const pr = getOrUndefined(this.store, "pipelineruns.tekton.dev", namespace, name);
    if (!pr || isDone(pr)) return;
    const spec = pr.spec as {
      status?: string;
      pipelineRef?: { name?: string };
      pipelineSpec?: PipelineSpec;
      timeouts?: { pipeline?: string };
    };
    const status = (pr.status ?? {}) as Record<string, unknown>;
    const now = this.ctx.now();
    if (spec.status === "PipelineRunPending" && !status.startTime) {
      if (succeeded(pr)?.reason !== "PipelineRunPending") {
        this.write(pr, {
          conditions: [
            condition("Unknown", "PipelineRunPending", `PipelineRun "${name}" is pending`, now),
          ],
        });
      }
      return;
    }
    if (spec.status && CANCEL.includes(spec.status)) {
      cancelChildren(this.store, pr, "has been cancelled");
      return this.write(pr, {
        conditions: [condition("False", "Cancelled", `PipelineRun "${name}" was cancelled`, now)],
        completionTime: kubeTime(now),
      });
    }
    const pipelineName = spec.pipelineRef?.name;
    const pipeline =
      spec.pipelineSpec ??
      (pipelineName
        ? ((getOrUndefined(this.store, "pipelines.tekton.dev", namespace, pipelineName)?.spec as
            PipelineSpec | undefined) ?? undefined)
        : undefined);
    if (!pipeline) {
      return this.write(pr, {
        conditions: [
          condition(
            "False",
            "CouldntGetPipeline",
            `Error retrieving pipeline for pipelinerun ${namespace}/${name}: pipelines.tekton.dev "${pipelineName}" not found`,
            now,
          ),
        ],
        completionTime: kubeTime(now),
      });
    }
    if (pipelineName && pr.metadata.labels?.["tekton.dev/pipeline"] !== pipelineName) {
      this.store.patch("pipelineruns.tekton.dev", namespace, name, "merge", {
        metadata: { labels: { "tekton.dev/pipeline": pipelineName } },
      });
      return; // the label change brings us back
    }

    const startTime = (status.startTime as string | undefined) ?? kubeTime(now);
    const timeoutText = spec.timeouts?.pipeline ?? DEFAULT_TIMEOUT;
    const timeoutMs = parseDuration(timeoutText) ?? 3_600_000;
    if (!this.timers.has(key) && timeoutMs > 0) {
      this.timers.add(key);
      const left = Date.parse(startTime) + timeoutMs - now.getTime();
      this.ctx.scheduler.after(Math.max(0, left) + 5, () => this.queue.add(key), true);
    }
    if (timeoutMs > 0 && now.getTime() - Date.parse(startTime) >= timeoutMs) {
      cancelChildren(this.store, pr, "has timed out");
      return this.write(pr, {
        startTime,
        conditions: [
          condition(
            "False",
            "PipelineRunTimeout",
            `PipelineRun "${name}" failed to finish within "${timeoutText}"`,
            now,
          ),
        ],
        completionTime: kubeTime(now),
      });
    }
    this.advance(pr, pipeline, startTime, now);
  }

  /** Starts the next task, or finishes the run when a task failed or all succeeded. */
  private advance(pr: KubeObject, pipeline: PipelineSpec, startTime: string, now: Date): void {
    const ns = pr.metadata.namespace ?? CI_NAMESPACE;
    const refs = [...((pr.status as { childReferences?: ChildRef[] })?.childReferences ?? [])];
    const results: Record<string, Record<string, string>> = {};
    const params = { ...paramMap(pr.spec && (pr.spec as { params?: Named[] }).params) };
    let done = 0;
    for (const [i, task] of pipeline.tasks.entries()) {
      const ref = refs.find((r) => r.pipelineTaskName === task.name);
      if (!ref) {
        refs.push(createChild(this.ctx, this.cluster, pr, task, { params, results }));
        return this.write(pr, {
          startTime,
          pipelineSpec: pipeline,
          childReferences: refs,
          conditions: [condition("Unknown", "Running", summary(done, 0, 0, 0), now)],
        });
      }
      const type = ref.kind === "CustomRun" ? "customruns.tekton.dev" : "taskruns.tekton.dev";
      const child = getOrUndefined(this.store, type, ns, ref.name);
      const cond = succeeded(child);
      results[task.name] = Object.fromEntries(
        ((child?.status as { results?: Named[] })?.results ?? []).map((r) => [
          r.name,
          String(r.value),
        ]),
      );
      if (cond?.status === "False") {
        const skipped = pipeline.tasks
          .slice(i + 1)
          .map((t) => ({ name: t.name, reason: "PipelineRun was stopping" }));
        const cancelled = /Cancel/.test(cond.reason ?? "") ? 1 : 0;
        return this.write(pr, {
          startTime,
          pipelineSpec: pipeline,
          childReferences: refs,
          ...(skipped.length ? { skippedTasks: skipped } : {}),
          conditions: [
            condition(
              "False",
              "Failed",
              summary(done + 1, 1 - cancelled, cancelled, skipped.length),
              now,
            ),
          ],
          completionTime: kubeTime(now),
        });
      }
      if (cond?.status !== "True") {
        return this.write(pr, {
          startTime,
          pipelineSpec: pipeline,
          childReferences: refs,
          conditions: [condition("Unknown", "Running", summary(done, 0, 0, 0), now)],
        });
      }
      done++;
    }
    const out = (pipeline.results ?? [])
      .map((r) => ({ name: r.name, value: substitute(r.value, { params, results }) }))
      .filter((r) => typeof r.value === "string" && !r.value.includes("$("));
    this.write(pr, {
      startTime,
      pipelineSpec: pipeline,
      childReferences: refs,
      ...(out.length ? { results: out } : {}),
      conditions: [condition("True", "Succeeded", summary(done, 0, 0, 0), now)],
      completionTime: kubeTime(now),
    });
  }

  /** Writes status; an unchanged Succeeded condition keeps its lastTransitionTime (no churn). */
  private write(pr: KubeObject, status: Record<string, unknown>): void {
    keepTransitionTime(pr, status);
    const written = this.store.patchStatus(
      "pipelineruns.tekton.dev",
      pr.metadata.namespace,
      pr.metadata.name ?? "",
      { status },
    );
    if (isDone(written)) prunePipelineRuns(this.ctx, this.cluster, written);
  }
}

export function keepTransitionTime(obj: KubeObject, status: Record<string, unknown>): void {
  const prev = succeeded(obj);
  const next = (status.conditions as Condition[] | undefined)?.[0];
  if (
    prev &&
    next &&
    prev.status === next.status &&
    prev.reason === next.reason &&
    prev.message === next.message
  ) {
    next.lastTransitionTime = prev.lastTransitionTime;
  }
}

function summary(completed: number, failed: number, cancelled: number, skipped: number): string {
  return `Tasks Completed: ${completed} (Failed: ${failed}, Cancelled ${cancelled}), Skipped: ${skipped}`;
}
