// The kpack controller for the build cluster: one Image per app follows its branch; a new commit,
// an additionalBuildNeeded annotation or a buildpack/stack update makes Build n+1 (never while one
// runs), and the Image's status follows its latest Build.
import type { KubeObject } from "../kube";
import type { AppConfig } from "../scenario/config";
import type { SimContext } from "./context";
import { kubeTime } from "./clock";
import { runBuild } from "./kpack-build";
import {
  BUILD_NAMESPACE,
  buildObject,
  buildpacksFor,
  imageObject,
  imageRepository,
  systemImages,
  type BuildChange,
} from "./kpack-objects";
import { pruneBuilds } from "./pruner";
import { getOrUndefined, splitKey, watchKind, WorkQueue } from "./queue";
import type { KpackApi, Rebuild } from "./types";

function condition(obj: KubeObject | undefined, type: string) {
  const conds = (obj?.status as { conditions?: Array<Record<string, string>> } | undefined)
    ?.conditions;
  return conds?.find((c) => c.type === type);
}

export function buildFinished(build: KubeObject): boolean {
  const s = condition(build, "Succeeded")?.status;
  return s === "True" || s === "False";
}

const buildNumber = (b: KubeObject) => Number(b.metadata.labels?.["image.kpack.io/buildNumber"]);

export class KpackController implements KpackApi {
  private readonly queue: WorkQueue;
  private readonly running = new Set<string>();
  private readonly rebuilds = new Map<string, Rebuild>();
  private readonly stackGeneration = new Map<string, number>();
  private readonly stops: Array<() => void> = [];

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue("kpack", (key) => this.reconcile(key), ctx.scheduler, ctx.log);
  }

  private get store() {
    return this.ctx.clusters[this.ctx.config.buildCluster];
  }

  app(name: string): AppConfig | undefined {
    return this.ctx.config.apps.find((a) => a.name === name);
  }

  /** Creates the Images that do not exist yet (kp image create). */
  ensureImages(): void {
    for (const app of this.ctx.config.apps) {
      if (!getOrUndefined(this.store, "images.kpack.io", BUILD_NAMESPACE, app.name)) {
        this.store.create(imageObject(this.ctx.config, app));
      }
    }
  }

  start(): void {
    this.ensureImages();
    const images = watchKind(this.store, "images.kpack.io", (key) => this.queue.add(key));
    const builds = watchKind(this.store, "builds.kpack.io", (key, ev) => {
      const b = ev.object as KubeObject;
      const image = b.metadata.labels?.["image.kpack.io/image"];
      if (image) this.queue.add(`${b.metadata.namespace}/${image}`);
      if (ev.type !== "DELETED" && !b.status && !this.running.has(key)) {
        this.running.add(key);
        void runBuild(this.ctx, this, b).finally(() => {
          this.running.delete(key);
          if (!image || this.ctx.scheduler.isClosed) return;
          const ns = b.metadata.namespace ?? BUILD_NAMESPACE;
          const owner = getOrUndefined(this.store, "images.kpack.io", ns, image);
          if (owner) pruneBuilds(this.ctx, owner, this.builds(ns, image));
          this.queue.add(`${ns}/${image}`);
        });
      }
    });
    const offPush = this.ctx.git.onPush((repo) => {
      const app = this.ctx.config.apps.find((a) => a.repoUrl === repo.url);
      if (app) this.queue.addAfter(`${BUILD_NAMESPACE}/${app.name}`, 200);
    });
    this.stops.push(
      () => images.stop(),
      () => builds.stop(),
      offPush,
    );
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  /** kpack rebuilds the same revision when its buildpacks or run image change. */
  requestRebuild(image: string, kind: Rebuild): void {
    this.rebuilds.set(image, kind);
    this.queue.add(`${BUILD_NAMESPACE}/${image}`);
  }

  runImage(image: string): string {
    return systemImages(this.ctx.config, this.ctx.seed).runImage(
      this.stackGeneration.get(image) ?? 1,
    );
  }

  builds(namespace: string, image: string): KubeObject[] {
    return this.store
      .list("builds.kpack.io", {
        namespace,
        labelSelector: `image.kpack.io/image=${image}`,
      })
      .items.sort((a, b) => buildNumber(a) - buildNumber(b));
  }

  private reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const image = getOrUndefined(this.store, "images.kpack.io", namespace, name);
    if (!image) return;
    const app = this.app(name);
    const head = app ? this.ctx.git.head(app.repoUrl) : undefined;
    const builds = this.builds(namespace, name);
    const latest = builds[builds.length - 1];
    if (!head) return this.writeStatus(image, latest, builds);
    if (latest && !buildFinished(latest)) return this.writeStatus(image, latest, builds);

    const reasons: string[] = [];
    const changes: BuildChange[] = [];
    const lastRevision = (latest?.spec as { source?: { git?: { revision?: string } } } | undefined)
      ?.source?.git?.revision;
    if (!latest) {
      reasons.push("CONFIG");
      changes.push({ reason: "CONFIG", old: {}, new: { source: { git: { revision: head.sha } } } });
    } else if (lastRevision !== head.sha) {
      reasons.push("COMMIT");
      changes.push({ reason: "COMMIT", old: lastRevision ?? "", new: head.sha });
    }
    const rebuild = this.rebuilds.get(name);
    if (rebuild && latest) {
      reasons.push(rebuild);
      changes.push(this.rebuildChange(name, rebuild));
    }
    this.rebuilds.delete(name);
    if (latest?.metadata.annotations?.["image.kpack.io/additionalBuildNeeded"] !== undefined) {
      reasons.push("TRIGGER");
      changes.push({
        reason: "TRIGGER",
        old: "",
        new: `A new build was manually triggered on ${this.ctx.now().toUTCString()}`,
      });
    }
    if (reasons.length === 0) return this.writeStatus(image, latest, builds);

    const number = Math.max(
      latest ? buildNumber(latest) : 0,
      (image.status as { buildCounter?: number } | undefined)?.buildCounter ?? 0,
    );
    const lastGood = [...builds]
      .reverse()
      .find((b) => condition(b, "Succeeded")?.status === "True");
    const build = this.store.create(
      buildObject({
        image,
        number: number + 1,
        revision: head.sha,
        reasons,
        changes,
        at: this.ctx.now(),
        previous: lastGood,
        builderImage: systemImages(this.ctx.config, this.ctx.seed).builder,
      }),
    );
    const digest = this.plannedDigest(build);
    this.ctx.ledger.addBuild({
      cluster: this.ctx.config.buildCluster,
      namespace,
      name: build.metadata.name ?? "",
      app: name,
      sha: head.sha,
      reason: build.metadata.annotations?.["image.kpack.io/reason"] ?? "",
      digest,
      image: `${imageRepository(this.ctx.config, name)}@${digest}`,
    });
    this.writeStatus(image, build, [...builds, build]);
  }

  plannedDigest(build: KubeObject): string {
    const spec = build.spec as { source: { git: { revision: string } } };
    return this.ctx.seed.digestOf(
      "image",
      build.metadata.labels?.["image.kpack.io/image"] ?? "",
      spec.source.git.revision,
      buildNumber(build),
      build.metadata.annotations?.["image.kpack.io/reason"] ?? "",
    );
  }

  private rebuildChange(image: string, kind: Rebuild): BuildChange {
    if (kind === "STACK") {
      const old = this.runImage(image);
      this.stackGeneration.set(image, (this.stackGeneration.get(image) ?? 1) + 1);
      return { reason: "STACK", old, new: this.runImage(image) };
    }
    const pack = buildpacksFor(image)[1];
    const [major, minor, patch] = pack.version.split(".").map(Number);
    return {
      reason: "BUILDPACK",
      old: [{ id: pack.id, version: pack.version }],
      new: [{ id: pack.id, version: `${major}.${minor}.${patch + 1}` }],
    };
  }

  /** Image status: Ready follows the latest Build; latestImage the last successful one. */
  private writeStatus(image: KubeObject, latest: KubeObject | undefined, builds: KubeObject[]) {
    const now = kubeTime(this.ctx.now());
    const lastGood = [...builds]
      .reverse()
      .find((b) => condition(b, "Succeeded")?.status === "True");
    const current = image.status as Record<string, unknown> | undefined;
    const prevReady = condition(image, "Ready");
    const latestState = condition(latest, "Succeeded")?.status;
    const ready = !latest
      ? { status: "Unknown", reason: "ResolverNotReady", message: "SourceResolver is not ready" }
      : latestState === "True"
        ? { status: "True", reason: "UpToDate", message: "" }
        : latestState === "False"
          ? {
              status: "False",
              reason: "BuildFailed",
              message: `Error: Build '${latest.metadata.name}' in namespace '${latest.metadata.namespace}' failed`,
            }
          : {
              status: "Unknown",
              reason: "BuildRunning",
              message: `Build '${latest.metadata.name}' is executing`,
            };
    const same = prevReady?.status === ready.status && prevReady?.reason === ready.reason;
    const readyCond = {
      type: "Ready",
      ...ready,
      lastTransitionTime: same ? prevReady.lastTransitionTime : now,
    };
    if (!readyCond.message) delete (readyCond as { message?: string }).message;
    const status = {
      observedGeneration: image.metadata.generation ?? 1,
      conditions: [
        readyCond,
        {
          type: "BuilderReady",
          status: "True",
          lastTransitionTime: condition(image, "BuilderReady")?.lastTransitionTime ?? now,
        },
        {
          type: "BuilderUpToDate",
          status: "True",
          lastTransitionTime: condition(image, "BuilderUpToDate")?.lastTransitionTime ?? now,
        },
      ],
      buildCacheName: `${image.metadata.name}-cache`,
      ...(latest
        ? {
            latestBuildRef: latest.metadata.name,
            buildCounter: buildNumber(latest),
            latestBuildReason: latest.metadata.annotations?.["image.kpack.io/reason"],
            latestBuildImageGeneration: Number(
              latest.metadata.labels?.["image.kpack.io/imageGeneration"] ?? 1,
            ),
          }
        : {}),
      ...(lastGood
        ? {
            latestImage: (lastGood.status as { latestImage: string }).latestImage,
            latestStack: "io.buildpacks.stacks.jammy",
          }
        : current?.latestImage
          ? { latestImage: current.latestImage, latestStack: current.latestStack }
          : {}),
    };
    this.store.patchStatus("images.kpack.io", image.metadata.namespace, image.metadata.name ?? "", {
      status,
    });
  }
}
