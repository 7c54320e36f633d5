// Argo CD Applications as Argo CD writes them (status.sync, health, operationState, history and
// summary.images, as in Argo CD's own test data): one per app and environment,
// following <app>/<env> in the manifests repo; the status parts its controller fills in; and the
// kustomization the promote pipeline commits.
import type { KubeObject } from "../kube";
import type { ScenarioConfig } from "../scenario/config";

export const ARGO_API = "argoproj.io/v1alpha1";
export const ARGO_NAMESPACE = "argocd";

export function applicationName(app: string, env: string): string {
  return `${app}-${env}`;
}

export function manifestsPath(app: string, env: string): string {
  return `${app}/${env}/kustomization.yaml`;
}

/** The kustomization that pins the app's image by digest. */
export function manifestsFile(image: string): string {
  const [name, digest] = image.split("@");
  const app = name.split("/").pop();
  return [
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "resources:",
    `  - ../../base/${app}`,
    "images:",
    `  - name: ${name}`,
    `    digest: ${digest}`,
    "",
  ].join("\n");
}

/** The image a kustomization renders into its Deployment, or undefined. */
export function renderedImage(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const m = /- name: (\S+)\n\s+digest: (\S+)/.exec(file);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

export function applicationObject(cfg: ScenarioConfig, app: string, env: string): KubeObject {
  const automated = env !== "production";
  return {
    apiVersion: ARGO_API,
    kind: "Application",
    metadata: {
      name: applicationName(app, env),
      namespace: ARGO_NAMESPACE,
      labels: { team: cfg.harborProject },
      annotations: { "argocd.argoproj.io/manifest-generate-paths": "." },
    },
    spec: {
      project: "default",
      source: { repoURL: cfg.manifestsRepo, path: `${app}/${env}`, targetRevision: "main" },
      destination: { server: "https://kubernetes.default.svc", namespace: `shop-${env}` },
      syncPolicy: {
        ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ["CreateNamespace=true"],
      },
      revisionHistoryLimit: 10,
    },
  };
}

export interface AppSpec {
  source: { repoURL: string; path: string; targetRevision: string };
  destination: { server: string; namespace: string };
  syncPolicy?: { automated?: unknown };
  revisionHistoryLimit?: number;
}

/** status.resources / syncResult.resources: the Deployment and Service the app renders. */
export function liveResources(
  app: string,
  namespace: string,
  sync: string,
  health: string | null,
): Array<Record<string, unknown>> {
  return [
    {
      version: "v1",
      kind: "Service",
      namespace,
      name: app,
      status: sync,
      ...(health ? { health: { status: "Healthy" } } : {}),
    },
    {
      group: "apps",
      version: "v1",
      kind: "Deployment",
      namespace,
      name: app,
      status: sync,
      ...(health ? { health: { status: health } } : {}),
    },
  ];
}

export function syncResultResources(app: string, namespace: string, failed: boolean) {
  return [
    {
      group: "",
      version: "v1",
      kind: "Service",
      namespace,
      name: app,
      status: "Synced",
      message: `service/${app} unchanged`,
      hookPhase: "Running",
      syncPhase: "Sync",
    },
    {
      group: "apps",
      version: "v1",
      kind: "Deployment",
      namespace,
      name: app,
      status: failed ? "SyncFailed" : "Synced",
      message: failed
        ? `error when patching "/dev/shm/${app}": Deployment.apps "${app}" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit`
        : `deployment.apps/${app} configured`,
      hookPhase: failed ? "Failed" : "Running",
      syncPhase: "Sync",
    },
  ];
}
