// The Tekton Triggers EventListeners: Harbor's PUSH_ARTIFACT starts the staging promote run (the
// whole webhook body as one param); a passing staging E2E run starts the production promote run
// with the same body; Argo CD's on-deployed notification starts the E2E verify run.
import type { WebhookPayload } from "../harbor";
import type { KubeObject } from "../kube";
import type { DeployedEvent } from "./types";
import type { SimContext } from "./context";
import { watchKind } from "./queue";
import { CI_NAMESPACE, TEKTON_API } from "./tekton-catalog";
import { succeeded } from "./tekton-util";
import { verifyRunObject } from "./verify";

export class TektonTriggers {
  private readonly promoted = new Set<string>();
  private readonly stops: Array<() => void> = [];

  constructor(private readonly ctx: SimContext) {}

  start(): void {
    const staging = this.ctx.config.environments[0];
    const h = watchKind(
      this.ctx.clusters[staging],
      "pipelineruns.tekton.dev",
      (_key, ev) => this.onVerifyRun(ev.object as KubeObject),
      { labelSelector: "shiplog.dev/stage=verify" },
    );
    this.stops.push(() => h.stop());
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  /** Harbor's webhook, as the EventListener receives it. */
  onHarborEvent(payload: WebhookPayload): void {
    if (payload.type !== "PUSH_ARTIFACT") return;
    const repo = payload.event_data.repository;
    const app = this.ctx.config.apps.find((a) => a.name === repo.name);
    const digest = payload.event_data.resources[0]?.digest;
    if (!app || repo.namespace !== this.ctx.config.harborProject || !digest) return;
    if (this.ctx.ledger.pushEvents.has(digest)) return; // a re-tag of a known image
    this.ctx.ledger.pushEvents.set(digest, payload);
    const env = this.ctx.config.environments[0];
    this.ctx.scheduler.after(this.ctx.config.durations.trigger, () =>
      this.promote(app.name, env, payload),
    );
  }

  /** argocd-notifications' on-deployed: test what was deployed. */
  onDeployed(e: DeployedEvent): void {
    const digest = e.image.split("@")[1];
    if (!digest || !this.ctx.config.apps.some((a) => a.name === e.app)) return;
    this.ctx.scheduler.after(this.ctx.config.durations.trigger, () => {
      const attempt = this.ctx.ledger.pipelineRuns.filter(
        (p) => p.stage === "verify" && p.environment === e.environment && p.digest === digest,
      ).length;
      const run = this.ctx.clusters[e.cluster].create(
        verifyRunObject(this.ctx, {
          app: e.app,
          env: e.environment,
          image: e.image,
          revision: e.revision,
          attempt,
        }),
      );
      this.ctx.ledger.addPipelineRun({
        cluster: e.cluster,
        namespace: CI_NAMESPACE,
        name: run.metadata.name ?? "",
        app: e.app,
        environment: e.environment,
        digest,
        stage: "verify",
      });
    });
  }

  private onVerifyRun(run: KubeObject): void {
    if (succeeded(run)?.status !== "True") return;
    const params = (run.spec as { params?: Array<{ name: string; value: unknown }> }).params ?? [];
    const image = String(params.find((p) => p.name === "image")?.value ?? "");
    const digest = image.split("@")[1];
    const app = run.metadata.labels?.["shiplog.dev/app"];
    const payload = digest ? this.ctx.ledger.pushEvents.get(digest) : undefined;
    const next = this.ctx.config.environments[1];
    if (!app || !payload || !next || this.promoted.has(digest)) return;
    this.promoted.add(digest);
    this.ctx.scheduler.after(this.ctx.config.durations.trigger, () =>
      this.promote(app, next, payload),
    );
  }

  private promote(app: string, env: string, payload: WebhookPayload): void {
    const digest = payload.event_data.resources[0].digest;
    const cfg = this.ctx.config;
    const production = env !== cfg.environments[0];
    const gate = cfg.apps.find((a) => a.name === app)?.gate;
    const pipeline = !production
      ? "promote"
      : gate === "approvaltask"
        ? "promote-production-approvaltask"
        : "promote-production";
    const attempt = this.ctx.ledger.pipelineRuns.filter(
      (p) => p.stage === "pipeline" && p.environment === env && p.digest === digest,
    ).length;
    const seed = this.ctx.seed;
    const run = this.ctx.clusters[env].create({
      apiVersion: TEKTON_API,
      kind: "PipelineRun",
      metadata: {
        generateName: `promote-${app}-`,
        name: `promote-${app}-${seed.suffix("promote", app, env, digest, attempt)}`,
        namespace: CI_NAMESPACE,
        labels: {
          "tekton.dev/pipeline": pipeline,
          "shiplog.dev/app": app,
          "shiplog.dev/environment": env,
          "triggers.tekton.dev/eventlistener": production
            ? "promote-production"
            : "harbor-listener",
          "triggers.tekton.dev/trigger": production ? "staging-verified" : "harbor-push",
          "triggers.tekton.dev/triggers-eventid": seed
            .sha("event", app, env, digest, attempt)
            .slice(0, 32)
            .replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"),
        },
      },
      spec: {
        pipelineRef: { name: pipeline },
        params: [
          { name: "harbor-event", value: JSON.stringify(payload) },
          { name: "app", value: app },
          { name: "environment", value: env },
          { name: "manifests-repo", value: cfg.manifestsRepo },
          ...(production ? [{ name: "approvers", value: cfg.approvers }] : []),
        ],
        taskRunTemplate: { serviceAccountName: "pipeline" },
        timeouts: { pipeline: "1h0m0s" },
      },
    });
    this.ctx.ledger.addPipelineRun({
      cluster: env,
      namespace: CI_NAMESPACE,
      name: run.metadata.name ?? "",
      app,
      environment: env,
      digest,
      stage: "pipeline",
    });
  }
}
