// Argo CD for one cluster: Applications follow <app>/<env> of the manifests repo; staging syncs by
// itself, production when `operation` is set; a sync runs (operationState), appends history, then
// health goes Progressing → Healthy or Degraded. Honours the refresh annotation.
import type { Store } from "../kube";
import type { SimContext } from "./context";
import { kubeTime, Stopped } from "./clock";
import { ARGO_NAMESPACE, liveResources, renderedImage, type AppSpec } from "./argocd-objects";
import { runSync } from "./argocd-sync";
import type { ArgoCdApi, DeployedEvent } from "./types";
import { getOrUndefined, splitKey, watchKind, WorkQueue } from "./queue";

const APPS = "applications.argoproj.io";
const REFRESH = "argocd.argoproj.io/refresh";

interface OperationState {
  phase: string;
  message?: string;
  startedAt: string;
  finishedAt?: string;
  operation: Record<string, unknown>;
  syncResult?: { revision: string };
}

interface AppStatus {
  sync?: { status: string; revision?: string };
  health?: { status: string };
  operationState?: OperationState;
  summary?: { images?: string[] };
  history?: Array<{ id: number; revision?: string }>;
  reconciledAt?: string;
}

export class ArgoCdController implements ArgoCdApi {
  private readonly queue: WorkQueue;
  private readonly busy = new Set<string>();
  private readonly refresh = new Set<string>();
  private readonly stops: Array<() => void> = [];
  /** Told when a synced revision turns Healthy (argocd-notifications' on-deployed). */
  onDeployed: (e: DeployedEvent) => void = () => {};

  constructor(
    private readonly ctx: SimContext,
    readonly cluster: string,
  ) {
    this.queue = new WorkQueue(
      `argocd/${cluster}`,
      (k) => this.reconcile(k),
      ctx.scheduler,
      ctx.log,
    );
  }

  private get store(): Store {
    return this.ctx.clusters[this.cluster];
  }

  start(): void {
    const h = watchKind(this.store, APPS, (key) => this.queue.add(key));
    // The manifests repo's webhook to Argo CD: refresh every Application that follows it.
    const off = this.ctx.git.onPush((repo) => {
      for (const app of this.store.list(APPS, { namespace: ARGO_NAMESPACE }).items) {
        if ((app.spec as AppSpec).source.repoURL.replace(/\.git$/, "") !== repo.url) continue;
        const key = `${ARGO_NAMESPACE}/${app.metadata.name}`;
        this.refresh.add(key);
        this.queue.addAfter(key, this.ctx.config.durations.argoRefresh);
      }
    });
    this.stops.push(() => h.stop(), off);
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  /** The API server's sync: refused while an operation is set (util/argo SetAppOperation). */
  requestSync(
    name: string,
    opts: { revision?: string; username: string },
  ): { ok: true } | { ok: false; message: string } {
    const app = getOrUndefined(this.store, APPS, ARGO_NAMESPACE, name);
    if (!app) return { ok: false, message: `applications.argoproj.io "${name}" not found` };
    if (app.operation) return { ok: false, message: "another operation is already in progress" };
    this.store.patch(APPS, ARGO_NAMESPACE, name, "merge", {
      operation: {
        initiatedBy: { username: opts.username },
        sync: { revision: opts.revision, prune: false, syncStrategy: { hook: {} } },
      },
    });
    return { ok: true };
  }

  /**
   * argocd app wait: until the sync of `revision` finished and health settled. Another pipeline's
   * sync may start as soon as ours has finished (while its rollout still progresses); then, as
   * `argocd app wait` does, it waits for the application as it is — that sync's end and health.
   */
  async waitForSync(name: string, revision: string) {
    let finished = false;
    for (;;) {
      const app = getOrUndefined(this.store, APPS, ARGO_NAMESPACE, name);
      const st = (app?.status ?? {}) as AppStatus;
      const op = st.operationState;
      const opRev = (op?.operation.sync as { revision?: string } | undefined)?.revision;
      const final = op && ["Succeeded", "Failed", "Error"].includes(op.phase);
      const health = st.health?.status ?? "Unknown";
      if (!app) return { phase: "Error", message: "application deleted", health };
      if ((final && opRev === revision) || st.history?.some((h) => h.revision === revision))
        finished = true;
      if (!app.operation && final && finished) {
        if (op.phase !== "Succeeded" || health === "Healthy" || health === "Degraded") {
          return { phase: op.phase, message: op.message ?? "", health };
        }
      }
      await this.ctx.scheduler.sleep(this.ctx.config.durations.syncRunning / 4);
    }
  }

  private reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const app = getOrUndefined(this.store, APPS, ns, name);
    if (!app) return;
    let refreshed = this.refresh.delete(key);
    if (app.metadata.annotations?.[REFRESH] !== undefined) {
      this.store.patch(APPS, ns, name, "merge", { metadata: { annotations: { [REFRESH]: null } } });
      refreshed = true;
    }
    if (this.busy.has(key)) return;
    const spec = app.spec as AppSpec;
    const st = (app.status ?? {}) as AppStatus;
    const head = this.ctx.git.head(spec.source.repoURL);
    if (!head) return;
    if (app.operation) {
      this.busy.add(key);
      runSync(this.ctx, this.cluster, app, (e) => this.onDeployed(e))
        .catch((err: unknown) => {
          if (!(err instanceof Stopped))
            this.ctx.log({
              level: "error",
              msg: "sync failed to run",
              app: name,
              err: String(err),
            });
        })
        .finally(() => {
          this.busy.delete(key);
          this.queue.add(key);
        });
      return;
    }
    const target = renderedImage(head.tree[`${spec.source.path}/kustomization.yaml`]);
    const live = st.summary?.images ?? [];
    const syncStatus = target && live.includes(target) ? "Synced" : "OutOfSync";
    const now = kubeTime(this.ctx.now());
    this.store.patch(APPS, ns, name, "merge", {
      status: {
        sync: {
          status: syncStatus,
          revision: head.sha,
          comparedTo: { source: spec.source, destination: spec.destination },
        },
        resources: liveResources(
          name.replace(/-[^-]+$/, ""),
          spec.destination.namespace,
          syncStatus,
          st.health?.status ?? null,
        ),
        ...(refreshed || !st.reconciledAt ? { reconciledAt: now } : {}),
        controllerNamespace: ARGO_NAMESPACE,
        sourceType: "Kustomize",
      },
    });
    const op = st.operationState;
    const lastTry =
      op?.syncResult?.revision ?? (op?.operation.sync as { revision?: string })?.revision;
    const failedBefore = op && op.phase !== "Succeeded" && lastTry === head.sha;
    if (spec.syncPolicy?.automated && syncStatus === "OutOfSync" && !failedBefore) {
      this.store.patch(APPS, ns, name, "merge", {
        operation: {
          initiatedBy: { automated: true },
          sync: { revision: head.sha, prune: true },
          retry: { limit: 5 },
        },
      });
    }
  }
}
