// One kpack Build run: the build pod's steps one after another (logs, stepsCompleted, stepStates),
// the image pushed to Harbor in the export step, then Succeeded True with latestImage — or a step
// fails and the Build with it.
import type { KubeObject } from "../kube";
import type { SimContext } from "./context";
import { kubeTime, Stopped } from "./clock";
import { pushBuiltImage } from "./harbor-push";
import type { KpackApi } from "./types";
import { stepLog, failureLog, type BuildLogInput } from "./kpack-logs";
import {
  BUILD_STEPS,
  LIFECYCLE_VERSION,
  REBASE_STEPS,
  STACK_ID,
  buildpacksFor,
  systemImages,
  type BuildChange,
} from "./kpack-objects";
import { createPod, running, setPodStatus, terminated, waiting, type ContainerState } from "./pods";

interface BuildSpec {
  tags: string[];
  serviceAccountName: string;
  source: { git: { url: string; revision: string } };
}

export async function runBuild(ctx: SimContext, kpack: KpackApi, build: KubeObject): Promise<void> {
  try {
    await play(ctx, kpack, build);
  } catch (err) {
    if (!(err instanceof Stopped))
      ctx.log({
        level: "error",
        msg: "build failed to run",
        build: build.metadata.name,
        err: String(err),
      });
  }
}

async function play(ctx: SimContext, kpack: KpackApi, build: KubeObject): Promise<void> {
  const store = ctx.clusters[ctx.config.buildCluster];
  const d = ctx.config.durations;
  const ns = build.metadata.namespace ?? "";
  const name = build.metadata.name ?? "";
  const app = build.metadata.labels?.["image.kpack.io/image"] ?? "";
  const number = Number(build.metadata.labels?.["image.kpack.io/buildNumber"]);
  const spec = build.spec as BuildSpec;
  const reasons = build.metadata.annotations?.["image.kpack.io/reason"] ?? "";
  const changes = JSON.parse(
    build.metadata.annotations?.["image.kpack.io/buildChanges"] ?? "[]",
  ) as BuildChange[];
  const steps = reasons === "STACK" ? REBASE_STEPS : BUILD_STEPS;
  const images = systemImages(ctx.config, ctx.seed);
  const digest = kpack.plannedDigest(build);
  const repo = spec.tags[0].replace(/:[^/:]+$/, "");
  const rates = ctx.ledger.ratesOf(
    ctx.config.rates,
    ctx.ledger.commitOf(app, spec.source.git.revision),
  );
  const fails =
    steps === BUILD_STEPS &&
    ctx.seed.chance(rates.build, "build-fails", app, spec.source.git.revision, number);
  const failStep = fails
    ? ctx.seed.chance(0.2, "fail-step", app, number)
      ? "detect"
      : "build"
    : null;
  const logInput: BuildLogInput = {
    app,
    gitUrl: spec.source.git.url,
    revision: spec.source.git.revision,
    reasons,
    changes,
    tags: spec.tags,
    digest,
    runImage: kpack.runImage(app),
  };

  await ctx.scheduler.sleep(d.buildPodStart);
  const started = ctx.now();
  const podName = `${name}-build-pod`;
  const pod = createPod(store, {
    name: podName,
    namespace: ns,
    labels: { ...build.metadata.labels, "kpack.io/build": name },
    owner: build,
    serviceAccountName: spec.serviceAccountName,
    initContainers: steps.map((s) => ({
      name: s,
      image: s === "rebase" ? images.rebase : images.lifecycle,
    })),
    containers: [{ name: "completion", image: images.completion }],
  });
  const states: ContainerState[] = steps.map(() => waiting());
  const stepStates: Array<{ terminated: Record<string, unknown> }> = [];
  const completed: string[] = [];
  const status = (extra: Record<string, unknown> = {}) =>
    store.patchStatus("builds.kpack.io", ns, name, {
      status: {
        observedGeneration: 1,
        podName,
        stepsCompleted: [...completed],
        stepStates: [...stepStates],
        conditions: [
          { type: "Succeeded", status: "Unknown", lastTransitionTime: kubeTime(started) },
        ],
        ...extra,
      },
    });
  status();

  for (const [i, step] of steps.entries()) {
    const stepStart = ctx.now();
    states[i] = running(stepStart);
    setPodStatus(store, pod, "Pending", { init: states, containers: [] }, started);
    await ctx.scheduler.sleep(d.buildStep);
    const id = ctx.seed.sha("container", name, step);
    if (step === failStep) {
      const { text, exitCode } = failureLog(step, app);
      store.setPodLog(ns, podName, step, `${text}\n`);
      states[i] = terminated(stepStart, ctx.now(), exitCode, id);
      stepStates.push(
        terminated(stepStart, ctx.now(), exitCode, id) as { terminated: Record<string, unknown> },
      );
      setPodStatus(store, pod, "Failed", { init: states, containers: [] }, started);
      status({
        conditions: [
          {
            type: "Succeeded",
            status: "False",
            message: `step "${step}" exited with code ${exitCode}`,
            lastTransitionTime: kubeTime(ctx.now()),
          },
        ],
      });
      return;
    }
    if (step === "export" || step === "rebase") {
      pushBuiltImage(ctx, {
        app,
        digest,
        tags: spec.tags,
        revision: spec.source.git.revision,
        repoUrl: spec.source.git.url,
      });
    }
    store.setPodLog(ns, podName, step, `${stepLog(step, logInput)}\n`);
    states[i] = terminated(stepStart, ctx.now(), 0, id);
    stepStates.push(
      terminated(stepStart, ctx.now(), 0, id) as { terminated: Record<string, unknown> },
    );
    completed.push(step);
    status();
  }

  const end = ctx.now();
  store.setPodLog(ns, podName, "completion", `${stepLog("completion", logInput)}\n`);
  setPodStatus(
    store,
    pod,
    "Succeeded",
    {
      init: states,
      containers: [terminated(end, end, 0, ctx.seed.sha("container", name, "completion"))],
    },
    started,
  );
  status({
    latestImage: `${repo}@${digest}`,
    buildMetadata: buildpacksFor(app).map(({ id, version, homepage }) => ({
      id,
      version,
      homepage,
    })),
    stack: { id: STACK_ID, runImage: kpack.runImage(app) },
    lifecycleVersion: LIFECYCLE_VERSION,
    conditions: [{ type: "Succeeded", status: "True", lastTransitionTime: kubeTime(end) }],
  });
  if (
    (reasons.includes("COMMIT") || reasons.includes("CONFIG")) &&
    ctx.seed.chance(rates.rebuild, "rebuild", app, spec.source.git.revision)
  ) {
    const kind = ctx.seed.chance(0.5, "rebuild-kind", app, spec.source.git.revision)
      ? "STACK"
      : "BUILDPACK";
    ctx.scheduler.after(d.rebuildDelay, () => kpack.requestRebuild(app, kind));
  }
}
