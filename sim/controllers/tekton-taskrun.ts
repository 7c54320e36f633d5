// Tekton's TaskRun reconciler and the kubelet under it, for one cluster: a Pod per TaskRun, its
// steps run in order (container states, step logs), then results and Succeeded True — or the
// first failing step fails the TaskRun; spec.status TaskRunCancelled stops it.
import type { KubeObject, Store } from "../kube";
import type { SimContext } from "./context";
import { kubeTime, Stopped } from "./clock";
import { createPod, running, setPodStatus, terminated, waiting, type ContainerState } from "./pods";
import { getOrUndefined, watchKind } from "./queue";
import { TASKS, type TaskDef } from "./tekton-catalog";
import type { TaskScope } from "./tekton-task-types";
import { TASK_IMPLS } from "./tekton-tasks";
import { condition, isDone, paramMap, type Named } from "./tekton-util";

/** A step that ended with a non-zero exit code. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly exitCode: number,
  ) {
    super(`"step-${step}" exited with code ${exitCode}`);
  }
}

class Cancelled extends Error {}

const ENTRYPOINT = "ghcr.io/tektoncd/pipeline/entrypoint-bff0a22da108bc2f16c818c97641a296@sha256:";

export class TaskRunController {
  private readonly running = new Set<string>();
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly ctx: SimContext,
    readonly cluster: string,
  ) {}

  private get store(): Store {
    return this.ctx.clusters[this.cluster];
  }

  start(): void {
    const h = watchKind(this.store, "taskruns.tekton.dev", (key, ev) => {
      const tr = ev.object as KubeObject;
      if (ev.type === "DELETED" || tr.status || this.running.has(key)) return;
      this.running.add(key);
      setImmediate(() => {
        void this.run(tr).finally(() => this.running.delete(key));
      });
    });
    this.stops.push(() => h.stop());
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  private async run(tr: KubeObject): Promise<void> {
    try {
      await this.play(tr);
    } catch (err) {
      if (!(err instanceof Stopped))
        this.ctx.log({
          level: "error",
          msg: "taskrun failed to run",
          taskRun: tr.metadata.name,
          err: String(err),
        });
    }
  }

  private async play(tr: KubeObject): Promise<void> {
    const { store, ctx } = this;
    const ns = tr.metadata.namespace ?? "";
    const name = tr.metadata.name ?? "";
    const spec = tr.spec as {
      taskRef?: { name?: string };
      params?: Named[];
      serviceAccountName?: string;
    };
    const taskName = spec.taskRef?.name ?? "";
    const def: TaskDef | undefined = TASKS[taskName];
    const impl = TASK_IMPLS[taskName];
    const started = ctx.now();
    const podName = `${name}-pod`;
    const base = { podName, startTime: kubeTime(started) };
    const write = (status: Record<string, unknown>) =>
      store.patchStatus("taskruns.tekton.dev", ns, name, { status: { ...base, ...status } });
    if (!def || !impl) {
      write({
        conditions: [
          condition(
            "False",
            "TaskRunResolutionFailed",
            `tasks.tekton.dev "${taskName}" not found`,
            started,
          ),
        ],
        completionTime: kubeTime(started),
      });
      return;
    }
    write({ conditions: [condition("Unknown", "Pending", "Pending", started)], taskSpec: def });
    const digest = ctx.seed.digestOf("tekton-entrypoint").slice(7);
    const pod = createPod(store, {
      name: podName,
      namespace: ns,
      labels: {
        ...tr.metadata.labels,
        "app.kubernetes.io/managed-by": "tekton-pipelines",
        "tekton.dev/taskRun": name,
        "tekton.dev/taskRunUID": tr.metadata.uid ?? "",
      },
      owner: tr,
      serviceAccountName: spec.serviceAccountName ?? "default",
      initContainers: [
        { name: "prepare", image: `${ENTRYPOINT}${digest}` },
        {
          name: "place-scripts",
          image: "cgr.dev/chainguard/busybox@sha256:" + ctx.seed.digestOf("busybox").slice(7),
        },
      ],
      containers: def.steps.map((s) => ({ name: `step-${s.name}`, image: s.image })),
    });
    const init: ContainerState[] = [waiting(), waiting()];
    const states: ContainerState[] = def.steps.map(() => waiting());
    setPodStatus(store, pod, "Pending", { init, containers: states }, started);
    await ctx.scheduler.sleep(ctx.config.durations.taskPodStart);
    init[0] = terminated(started, ctx.now(), 0, ctx.seed.sha("c", name, "prepare"));
    init[1] = terminated(started, ctx.now(), 0, ctx.seed.sha("c", name, "place-scripts"));

    const results: Array<{ name: string; type: string; value: string }> = [];
    const stepStatus = () =>
      def.steps.map((s, i) => ({
        name: s.name,
        container: `step-${s.name}`,
        imageID: s.image,
        ...states[i],
      }));
    const progress = () =>
      write({
        conditions: [
          condition(
            "Unknown",
            "Running",
            "Not all Steps in the Task have finished executing",
            started,
          ),
        ],
        steps: stepStatus(),
        taskSpec: def,
      });
    const cancelled = () => {
      const now = getOrUndefined(store, "taskruns.tekton.dev", ns, name);
      return !now || (now.spec as { status?: string }).status === "TaskRunCancelled";
    };
    const scope: TaskScope = {
      ctx,
      cluster: this.cluster,
      store,
      taskRun: tr,
      params: paramMap(spec.params),
      result: (n, value) => results.push({ name: n, type: "string", value }),
      step: async (stepName, body) => {
        const i = def.steps.findIndex((s) => s.name === stepName);
        if (cancelled()) throw new Cancelled();
        const at = ctx.now();
        states[i] = running(at);
        setPodStatus(store, pod, "Running", { init, containers: states }, started);
        progress();
        await ctx.scheduler.sleep(ctx.config.durations.taskStep);
        if (cancelled()) throw new Cancelled();
        let text = "";
        const code = await body((line) => (text += `${line}\n`));
        store.setPodLog(ns, podName, `step-${stepName}`, text);
        states[i] = terminated(at, ctx.now(), code, ctx.seed.sha("c", name, stepName));
        if (code !== 0) throw new StepFailed(stepName, code);
      },
    };

    try {
      await impl(scope);
    } catch (err) {
      if (err instanceof Stopped || !(err instanceof StepFailed || err instanceof Cancelled))
        throw err;
      const end = ctx.now();
      for (const [i, s] of states.entries()) {
        if ("waiting" in s || "running" in s)
          states[i] = terminated(end, end, 1, ctx.seed.sha("c", name, i));
      }
      setPodStatus(store, pod, "Failed", { init, containers: states }, started);
      const current = getOrUndefined(store, "taskruns.tekton.dev", ns, name);
      if (!current || isDone(current)) return;
      const message =
        err instanceof Cancelled
          ? `TaskRun "${name}" was cancelled. ${(current.spec as { statusMessage?: string }).statusMessage ?? ""}`.trim()
          : err.message;
      write({
        conditions: [
          condition(
            "False",
            err instanceof Cancelled ? "TaskRunCancelled" : "Failed",
            message,
            end,
          ),
        ],
        steps: stepStatus(),
        ...(results.length ? { results } : {}),
        taskSpec: def,
        completionTime: kubeTime(end),
      });
      return;
    }
    const end = ctx.now();
    setPodStatus(store, pod, "Succeeded", { init, containers: states }, started);
    write({
      conditions: [condition("True", "Succeeded", "All Steps have completed executing", end)],
      steps: stepStatus(),
      ...(results.length ? { results } : {}),
      taskSpec: def,
      completionTime: kubeTime(end),
    });
  }
}
