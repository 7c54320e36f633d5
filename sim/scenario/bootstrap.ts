// The world as the simulator finds it: every app already has one commit built (Build 1, reason
// CONFIG), pushed and scanned, and deployed to every environment from one manifests commit.
import type { SimContext } from "../controllers/context";
import { kubeTime } from "../controllers/clock";
import {
  applicationName,
  applicationObject,
  manifestsFile,
  manifestsPath,
} from "../controllers/argocd-objects";
import { pushBuiltImage } from "../controllers/harbor-push";
import {
  BUILD_NAMESPACE,
  LIFECYCLE_VERSION,
  STACK_ID,
  buildObject,
  buildpacksFor,
  imageObject,
  imageRepository,
  systemImages,
} from "../controllers/kpack-objects";
import { catalogObjects } from "../controllers/tekton-catalog";
import { AUTHORS, PIPELINE_BOT, commitContent } from "./data";

export function bootstrap(ctx: SimContext): void {
  const { config: cfg, seed, git, ledger } = ctx;
  const buildStore = ctx.clusters[cfg.buildCluster];
  const images = systemImages(cfg, seed);
  const files: Record<string, string> = {};
  const deployed: Record<string, string> = {};
  git.addRepo({
    url: cfg.manifestsRepo,
    description: "Kustomize overlays per app and environment",
    projectId: 9,
    users: [PIPELINE_BOT.username],
  });

  for (const app of cfg.apps) {
    git.addRepo({
      url: app.repoUrl,
      description: app.description,
      projectId: app.projectId,
      users: AUTHORS.map((a) => a.username),
    });
    const content = commitContent(seed, app.name, 0);
    const commit = git.commit(app.repoUrl, { sha: seed.sha("commit", app.name, 0), ...content });
    ledger.addCommit({
      app: app.name,
      sha: commit.sha,
      repoUrl: app.repoUrl,
      n: 0,
      author: content.author.name,
      title: content.title,
      committedAt: commit.timestamp,
    });

    const image = buildStore.create(imageObject(cfg, app));
    const digest = seed.digestOf("image", app.name, commit.sha, 1, "CONFIG");
    const build = buildStore.create(
      buildObject({
        image,
        number: 1,
        revision: commit.sha,
        reasons: ["CONFIG"],
        changes: [
          { reason: "CONFIG", old: {}, new: { source: { git: { revision: commit.sha } } } },
        ],
        at: ctx.now(),
        builderImage: images.builder,
      }),
    );
    const latestImage = `${imageRepository(cfg, app.name)}@${digest}`;
    buildStore.patchStatus("builds.kpack.io", BUILD_NAMESPACE, build.metadata.name ?? "", {
      status: {
        observedGeneration: 1,
        podName: `${build.metadata.name}-build-pod`,
        stepsCompleted: ["prepare", "detect", "analyze", "restore", "build", "export"],
        latestImage,
        buildMetadata: buildpacksFor(app.name),
        stack: { id: STACK_ID, runImage: images.runImage(1) },
        lifecycleVersion: LIFECYCLE_VERSION,
        conditions: [
          { type: "Succeeded", status: "True", lastTransitionTime: kubeTime(ctx.now()) },
        ],
      },
    });
    ledger.addBuild({
      cluster: cfg.buildCluster,
      namespace: BUILD_NAMESPACE,
      name: build.metadata.name ?? "",
      app: app.name,
      sha: commit.sha,
      reason: "CONFIG",
      digest,
      image: latestImage,
    });
    pushBuiltImage(ctx, {
      app: app.name,
      digest,
      tags: (build.spec as { tags: string[] }).tags,
      revision: commit.sha,
      repoUrl: app.repoUrl,
    });
    deployed[app.name] = latestImage;
    for (const env of cfg.environments)
      files[manifestsPath(app.name, env)] = manifestsFile(latestImage);
  }

  const m0 = git.commit(cfg.manifestsRepo, {
    sha: seed.sha("manifests-bootstrap"),
    title: "Bootstrap the shop environments",
    message: "Bootstrap the shop environments",
    author: PIPELINE_BOT,
    added: Object.keys(files),
    files,
  });
  const at = kubeTime(ctx.now());
  for (const env of cfg.environments) {
    const store = ctx.clusters[env];
    for (const obj of catalogObjects()) store.create(obj);
    for (const app of cfg.apps) {
      const created = store.create(applicationObject(cfg, app.name, env));
      const spec = created.spec as { source: unknown; destination: unknown };
      const operation = {
        initiatedBy: env === cfg.environments[0] ? { automated: true } : { username: "admin" },
        sync: { revision: m0.sha },
      };
      store.patch("applications.argoproj.io", "argocd", created.metadata.name ?? "", "merge", {
        status: {
          sync: {
            status: "Synced",
            revision: m0.sha,
            comparedTo: { source: spec.source, destination: spec.destination },
          },
          health: { status: "Healthy", lastTransitionTime: at },
          history: [
            {
              id: 0,
              revision: m0.sha,
              deployStartedAt: at,
              deployedAt: at,
              source: spec.source,
              initiatedBy: operation.initiatedBy,
            },
          ],
          operationState: {
            operation,
            phase: "Succeeded",
            message: "successfully synced (all tasks run)",
            startedAt: at,
            finishedAt: at,
            syncResult: { revision: m0.sha, source: spec.source },
          },
          summary: { images: [deployed[app.name]] },
          reconciledAt: at,
          sourceType: "Kustomize",
          controllerNamespace: "argocd",
        },
      });
      ledger.setDeploy({
        cluster: env,
        application: applicationName(app.name, env),
        environment: env,
        app: app.name,
        revision: m0.sha,
        digest: deployed[app.name].split("@")[1],
        status: "succeeded",
        health: "Healthy",
      });
    }
  }
}
