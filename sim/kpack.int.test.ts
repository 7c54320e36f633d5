// kpack as the simulator plays it: `kp image trigger` (the additionalBuildNeeded annotation) makes
// Build n+1 with reason TRIGGER; a buildpack/stack update rebuilds the same revision; a failing
// build fails in its step, with the step's log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "./kube";
import { NO_FAILURES } from "./index";
import {
  clients,
  mergePatch,
  startTestSimulator,
  waitFor,
  waitForCommit,
  type TestSimulator,
} from "./test-support";

const BUILDS = { group: "kpack.io", version: "v1alpha2", namespace: "apps", plural: "builds" };

function succeeded(o: KubeObject | undefined) {
  return ((o?.status as { conditions?: Array<Record<string, string>> })?.conditions ?? []).find(
    (c) => c.type === "Succeeded",
  );
}

describe("kpack", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({
      seed: 5,
      apps: ["payments"],
      rates: { ...NO_FAILURES, rebuild: 1 },
      play: false,
    });
  });
  afterAll(() => sim?.close());

  it("builds n+1 with reason TRIGGER for the current revision when a Build gets additionalBuildNeeded", async () => {
    const { custom } = clients(sim.kubeconfigPath, "staging");
    const image = await waitFor(() => {
      const i = sim.clusters.staging.get("images.kpack.io", "apps", "payments");
      return (i.status as { latestBuildRef?: string } | undefined)?.latestBuildRef ? i : undefined;
    }, "the Image status");
    const head = sim.truth().commits[0].sha;
    // What `kp image trigger` does: newest Build by creationTimestamp, annotate, Update.
    const list = (await custom.listNamespacedCustomObject({
      ...BUILDS,
      labelSelector: "image.kpack.io/image=payments",
    })) as { items: KubeObject[] };
    const newest = list.items.sort((a, b) =>
      String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
    )[list.items.length - 1];
    expect(newest.metadata.name).toBe("payments-build-1");
    newest.metadata.annotations = {
      ...newest.metadata.annotations,
      "image.kpack.io/additionalBuildNeeded": new Date().toString(),
    };
    await custom.replaceNamespacedCustomObject({
      ...BUILDS,
      name: "payments-build-1",
      body: newest,
    });

    const build = await waitFor(() => {
      const b = sim.clusters.staging.get("builds.kpack.io", "apps", "payments-build-2");
      return succeeded(b)?.status === "True" ? b : undefined;
    }, "payments-build-2");
    expect(build.metadata.labels).toMatchObject({ "image.kpack.io/buildNumber": "2" });
    expect(build.metadata.annotations?.["image.kpack.io/reason"]).toBe("TRIGGER");
    const changes = JSON.parse(build.metadata.annotations!["image.kpack.io/buildChanges"]) as Array<
      Record<string, string>
    >;
    expect(changes).toEqual([
      {
        reason: "TRIGGER",
        old: "",
        new: expect.stringMatching(/^A new build was manually triggered on /),
      },
    ]);
    expect((build.spec as { source: { git: { revision: string } } }).source.git.revision).toBe(
      head,
    );
    expect((build.spec as { lastBuild?: { image: string } }).lastBuild?.image).toBe(
      (image.status as { latestImage: string }).latestImage,
    );
    await waitFor(() => {
      const st = sim.clusters.staging.get("images.kpack.io", "apps", "payments").status as Record<
        string,
        unknown
      >;
      return (
        st.latestBuildRef === "payments-build-2" &&
        st.latestImage === (build.status as { latestImage: string }).latestImage
      );
    }, "the Image to follow build 2");
    const st = sim.clusters.staging.get("images.kpack.io", "apps", "payments").status as Record<
      string,
      unknown
    >;
    expect(st).toMatchObject({ buildCounter: 2, latestBuildReason: "TRIGGER" });
    const c = await waitForCommit(
      sim,
      head,
      (c) => c.artifacts.length === 2,
      "two artifacts for the first commit",
    );
    expect(c.builds.map((b) => `${b.name}:${b.reason}`)).toEqual([
      "payments-build-1:CONFIG",
      "payments-build-2:TRIGGER",
    ]);
    expect(new Set(c.artifacts.map((a) => a.digest)).size).toBe(2);
  });

  it("rebuilds the same revision after a buildpack or stack update: one commit, two images", async () => {
    const sha = sim.commit("payments").sha;
    const c = await waitForCommit(
      sim,
      sha,
      (c) =>
        c.builds.length === 2 &&
        c.builds.every((b) => b.status === "succeeded") &&
        c.artifacts.length === 2,
      "a COMMIT build and its rebuild",
    );
    expect(c.builds[0]).toMatchObject({ name: "payments-build-3", reason: "COMMIT" });
    expect(c.builds[1]).toMatchObject({
      name: "payments-build-4",
      reason: expect.stringMatching(/^(BUILDPACK|STACK)$/),
    });
    expect(c.builds[0].digest).not.toBe(c.builds[1].digest);
    const rebuild = sim.clusters.staging.get("builds.kpack.io", "apps", "payments-build-4");
    expect((rebuild.spec as { source: { git: { revision: string } } }).source.git.revision).toBe(
      sha,
    );
    const steps = (rebuild.status as { stepsCompleted: string[] }).stepsCompleted;
    expect(steps).toEqual(
      c.builds[1].reason === "STACK"
        ? ["rebase"]
        : ["prepare", "detect", "analyze", "restore", "build", "export"],
    );
  });

  it("keeps successBuildHistoryLimit successful Builds (and their pods); the truth remembers the rest", async () => {
    const { custom } = clients(sim.kubeconfigPath, "staging");
    await custom.patchNamespacedCustomObject(
      {
        group: "kpack.io",
        version: "v1alpha2",
        namespace: "apps",
        plural: "images",
        name: "payments",
        body: { spec: { successBuildHistoryLimit: 2 } },
      },
      mergePatch,
    );
    const sha = sim.commit("payments").sha;
    await waitForCommit(
      sim,
      sha,
      (c) => c.builds.length === 2 && c.builds.every((b) => b.status === "succeeded"),
      "build 5 and its rebuild",
    );
    await waitFor(
      () => sim.clusters.staging.list("builds.kpack.io", { namespace: "apps" }).items.length === 2,
      "the history limit",
    );
    const left = sim.clusters.staging
      .list("builds.kpack.io", { namespace: "apps" })
      .items.map((b) => b.metadata.name);
    expect(left.sort()).toEqual(["payments-build-5", "payments-build-6"]);
    const pods = sim.clusters.staging
      .list("pods", { namespace: "apps" })
      .items.map((p) => p.metadata.name);
    expect(pods).not.toContain("payments-build-3-build-pod");
    const first = sim.truth().commits[0];
    expect(first.builds.map((b) => `${b.name}:${b.status}`)).toEqual([
      "payments-build-1:succeeded",
      "payments-build-2:succeeded",
    ]);
  });
});

describe("a failing kpack build", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({
      seed: 9,
      apps: ["search"],
      rates: { ...NO_FAILURES, build: 1 },
      play: false,
    });
  });
  afterAll(() => sim?.close());

  it("fails in its step with the step's log, and nothing is pushed or promoted", async () => {
    const sha = sim.commit("search").sha;
    const c = await waitForCommit(
      sim,
      sha,
      (c) => c.builds[0]?.status === "failed",
      "the failed build",
    );
    const build = sim.clusters.staging.get("builds.kpack.io", "apps", c.builds[0].name);
    const cond = succeeded(build)!;
    expect(cond.status).toBe("False");
    const step = /step "(\w+)"/.exec(cond.message)![1];
    expect(["detect", "build"]).toContain(step);
    const { core } = clients(sim.kubeconfigPath, "staging");
    const log = await core.readNamespacedPodLog({
      name: `${c.builds[0].name}-build-pod`,
      namespace: "apps",
      container: step,
    });
    expect(log).toMatch(/ERROR: failed to (build|detect)/);
    expect((build.status as { latestImage?: string }).latestImage).toBeUndefined();
    const image = sim.clusters.staging.get("images.kpack.io", "apps", "search");
    expect(
      (image.status as { conditions: Array<Record<string, string>> }).conditions[0],
    ).toMatchObject({
      type: "Ready",
      status: "False",
      reason: "BuildFailed",
    });
    await new Promise((r) => setTimeout(r, 300));
    const after = sim.truth().commits.find((x) => x.sha === sha)!;
    expect(after.artifacts).toEqual([]);
    expect(after.pipelineRuns).toEqual([]);
  });
});
