// One Argo CD sync operation: operationState Running, then Succeeded (history appended up to
// revisionHistoryLimit, summary.images, health Progressing → Healthy or Degraded) or Failed.
import type { KubeObject } from "../kube";
import type { DeployedEvent } from "./types";
import { liveResources, renderedImage, syncResultResources, type AppSpec } from "./argocd-objects";
import type { SimContext } from "./context";
import { kubeTime } from "./clock";

const APPS = "applications.argoproj.io";

interface AppStatus {
  health?: { status: string };
  history?: Array<{ id: number }>;
}

/** Runs the sync operation `app.operation` asks for, then lets health settle. */
export async function runSync(
  ctx: SimContext,
  cluster: string,
  app: KubeObject,
  onDeployed: (e: DeployedEvent) => void,
): Promise<void> {
  const store = ctx.clusters[cluster];
  const ns = app.metadata.namespace ?? "";
  const name = app.metadata.name ?? "";
  const spec = app.spec as AppSpec;
  const operation = app.operation as { sync?: { revision?: string }; initiatedBy?: unknown };
  const revision = operation.sync?.revision || ctx.git.head(spec.source.repoURL)?.sha || "";
  const commit = ctx.git.at(spec.source.repoURL, revision);
  const image = renderedImage(commit?.tree[`${spec.source.path}/kustomization.yaml`]);
  // Outcomes follow the image (and how often it was synced), not the revision: staging syncs the
  // branch head, which depends on timing.
  const attemptKey = `${cluster}/${name}/${image}`;
  const attempt = ctx.ledger.syncAttempts.get(attemptKey) ?? 0;
  ctx.ledger.syncAttempts.set(attemptKey, attempt + 1);
  const rates = ctx.ledger.ratesOf(
    ctx.config.rates,
    image ? ctx.ledger.commitOfDigest(image.split("@")[1] ?? "") : undefined,
  );
  const short = name.replace(/-[^-]+$/, "");
  const env = name.slice(short.length + 1);
  const deploy = (status: "running" | "succeeded" | "failed", health: string | null) =>
    ctx.ledger.setDeploy({
      cluster: cluster,
      application: name,
      environment: env,
      app: short,
      revision,
      digest: image?.split("@")[1] ?? null,
      status,
      health,
    });
  const startedAt = kubeTime(ctx.now());
  const patch = (body: Record<string, unknown>) => store.patch(APPS, ns, name, "merge", body);
  patch({
    status: {
      operationState: {
        operation,
        phase: "Running",
        message: "one or more tasks are running",
        startedAt,
      },
    },
  });
  deploy("running", (app.status as AppStatus | undefined)?.health?.status ?? null);
  await ctx.scheduler.sleep(ctx.config.durations.syncRunning);

  const failed =
    !commit ||
    !image ||
    ctx.seed.chance(rates.syncFailure, "sync-fails", cluster, name, image, attempt);
  const finishedAt = kubeTime(ctx.now());
  const syncResult = {
    revision,
    source: spec.source,
    resources: syncResultResources(short, spec.destination.namespace, failed),
  };
  if (failed) {
    patch({
      operation: null,
      status: {
        operationState: {
          operation,
          phase: "Failed",
          message: commit
            ? "one or more objects failed to apply, reason: Deployment.apps is invalid"
            : `unable to resolve '${revision}' to a commit SHA`,
          startedAt,
          finishedAt,
          syncResult,
        },
      },
    });
    deploy("failed", (app.status as AppStatus | undefined)?.health?.status ?? null);
    return;
  }
  const current = (store.get(APPS, ns, name).status ?? {}) as AppStatus;
  const limit = (spec.revisionHistoryLimit ?? 10) as number;
  const history = [
    ...(current.history ?? []),
    {
      id: (current.history?.at(-1)?.id ?? -1) + 1,
      revision,
      deployStartedAt: startedAt,
      deployedAt: finishedAt,
      source: spec.source,
      initiatedBy: operation.initiatedBy,
    },
  ].slice(-limit);
  const health = (status: string, message?: string) => ({
    status,
    ...(message ? { message } : {}),
    lastTransitionTime: kubeTime(ctx.now()),
  });
  patch({
    operation: null,
    status: {
      operationState: {
        operation,
        phase: "Succeeded",
        message: "successfully synced (all tasks run)",
        startedAt,
        finishedAt,
        syncResult,
      },
      history,
      sync: {
        status: "Synced",
        revision,
        comparedTo: { source: spec.source, destination: spec.destination },
      },
      summary: { images: [image] },
      health: health(
        "Progressing",
        `Waiting for rollout to finish: 1 old replicas are pending termination...`,
      ),
      resources: liveResources(short, spec.destination.namespace, "Synced", "Progressing"),
      reconciledAt: finishedAt,
    },
  });
  deploy("running", "Progressing");
  await ctx.scheduler.sleep(ctx.config.durations.progressing);
  const degraded = ctx.seed.chance(rates.degraded, "degraded", cluster, name, image, attempt);
  const final = degraded
    ? health("Degraded", `Deployment "${short}" exceeded its progress deadline`)
    : health("Healthy");
  patch({
    status: {
      health: final,
      resources: liveResources(short, spec.destination.namespace, "Synced", final.status),
    },
  });
  deploy(degraded ? "failed" : "succeeded", final.status);
  if (!degraded) {
    onDeployed({
      cluster: cluster,
      application: name,
      app: short,
      environment: env,
      revision,
      image,
    });
  }
}
