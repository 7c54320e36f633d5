// Tekton's and Argo CD's control fields as the simulator honours them, driven through the
// Kubernetes API as Shiplog or a user would: PipelineRunPending, Cancelled, timeouts.pipeline,
// the Argo CD refresh annotation and a production sync requested by setting `operation`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestsFile } from "./controllers/argocd-objects";
import type { KubeObject } from "./kube";
import { NO_FAILURES } from "./index";
import {
  clients,
  mergePatch,
  startTestSimulator,
  waitFor,
  type AppStatus,
  type TestSimulator,
} from "./test-support";

let sim: TestSimulator;
let digest: string;

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 3, apps: ["payments"], rates: NO_FAILURES, play: false });
  digest = sim.truth().commits[0].builds[0].digest!;
});
afterAll(() => sim?.close());

const PR = { group: "tekton.dev", version: "v1", namespace: "ci", plural: "pipelineruns" };
const APP = {
  group: "argoproj.io",
  version: "v1alpha1",
  namespace: "argocd",
  plural: "applications",
};

function succeeded(o: KubeObject | undefined) {
  return ((o?.status as { conditions?: Array<Record<string, string>> })?.conditions ?? []).find(
    (c) => c.type === "Succeeded",
  );
}

function promoteRun(name: string, env: string, spec: Record<string, unknown> = {}) {
  const event = {
    type: "PUSH_ARTIFACT",
    occur_at: 1795600990,
    operator: "robot$shop+kpack",
    event_data: {
      resources: [
        { digest, tag: "latest", resource_url: "harbor.shiplog.test/shop/payments:latest" },
      ],
      repository: {
        name: "payments",
        namespace: "shop",
        repo_full_name: "shop/payments",
        repo_type: "private",
      },
    },
  };
  const production = env === "production";
  return {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: { name, labels: { "shiplog.dev/app": "payments", "shiplog.dev/environment": env } },
    spec: {
      pipelineRef: { name: production ? "promote-production" : "promote" },
      params: [
        { name: "harbor-event", value: JSON.stringify(event) },
        { name: "app", value: "payments" },
        { name: "environment", value: env },
        { name: "manifests-repo", value: sim.config.manifestsRepo },
        ...(production ? [{ name: "approvers", value: ["alice"] }] : []),
      ],
      ...spec,
    },
  };
}

const get = (cluster: string, type: string, name: string, ns = "ci") => {
  try {
    return sim.clusters[cluster].get(type, ns, name);
  } catch {
    return undefined;
  }
};

describe("Tekton control fields", () => {
  it("holds a PipelineRunPending run until spec.status is removed", async () => {
    const { custom } = clients(sim.kubeconfigPath, "staging");
    await custom.createNamespacedCustomObject({
      ...PR,
      body: promoteRun("promote-payments-held", "staging", { status: "PipelineRunPending" }),
    });
    const held = await waitFor(() => {
      const pr = get("staging", "pipelineruns.tekton.dev", "promote-payments-held");
      return succeeded(pr)?.reason === "PipelineRunPending" ? pr : undefined;
    }, "PipelineRunPending");
    expect(succeeded(held)).toMatchObject({
      status: "Unknown",
      message: 'PipelineRun "promote-payments-held" is pending',
    });
    await new Promise((r) => setTimeout(r, 300));
    const still = get("staging", "pipelineruns.tekton.dev", "promote-payments-held")!;
    expect((still.status as Record<string, unknown>).startTime).toBeUndefined();
    expect(get("staging", "taskruns.tekton.dev", "promote-payments-held-parse")).toBeUndefined();

    // The Dashboard's "start": a JSON patch removing spec.status.
    await custom.patchNamespacedCustomObject({
      ...PR,
      name: "promote-payments-held",
      body: [{ op: "remove", path: "/spec/status" }],
    });
    const done = await waitFor(() => {
      const pr = get("staging", "pipelineruns.tekton.dev", "promote-payments-held");
      return succeeded(pr)?.status === "True" ? pr : undefined;
    }, "the started run to succeed");
    expect(done.metadata.labels?.["tekton.dev/pipeline"]).toBe("promote");
    expect((done.status as { startTime?: string }).startTime).toMatch(/Z$/);
  });

  it("cancels a run waiting at its approval: Cancelled, and the CustomRun is told", async () => {
    const { custom } = clients(sim.kubeconfigPath, "production");
    await custom.createNamespacedCustomObject({
      ...PR,
      body: promoteRun("promote-payments-cancel", "production"),
    });
    await waitFor(
      () => get("production", "customruns.tekton.dev", "promote-payments-cancel-approve"),
      "the CustomRun",
    );
    await custom.patchNamespacedCustomObject({
      ...PR,
      name: "promote-payments-cancel",
      body: [{ op: "add", path: "/spec/status", value: "Cancelled" }],
    });
    await waitFor(
      () =>
        succeeded(get("production", "pipelineruns.tekton.dev", "promote-payments-cancel"))
          ?.status === "False",
      "cancelled",
    );
    expect(
      succeeded(get("production", "pipelineruns.tekton.dev", "promote-payments-cancel")),
    ).toMatchObject({
      reason: "Cancelled",
      message: 'PipelineRun "promote-payments-cancel" was cancelled',
    });
    expect(
      get("production", "customruns.tekton.dev", "promote-payments-cancel-approve")?.spec,
    ).toMatchObject({
      status: "RunCancelled",
      statusMessage: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
    });
  });

  it("times a run out after spec.timeouts.pipeline: PipelineRunTimeout", async () => {
    const { custom } = clients(sim.kubeconfigPath, "production");
    // Long enough to reach the approval even on a busy machine; the approval never ends by itself.
    await custom.createNamespacedCustomObject({
      ...PR,
      body: promoteRun("promote-payments-slow", "production", { timeouts: { pipeline: "4s" } }),
    });
    await waitFor(
      () => get("production", "customruns.tekton.dev", "promote-payments-slow-approve"),
      "the approval CustomRun",
      4000,
    );
    const pr = await waitFor(
      () => {
        const o = get("production", "pipelineruns.tekton.dev", "promote-payments-slow");
        return succeeded(o)?.status === "False" ? o : undefined;
      },
      "the timeout",
      10_000,
    );
    expect(succeeded(pr)).toMatchObject({
      reason: "PipelineRunTimeout",
      message: 'PipelineRun "promote-payments-slow" failed to finish within "4s"',
    });
    expect(
      get("production", "customruns.tekton.dev", "promote-payments-slow-approve")?.spec,
    ).toMatchObject({
      status: "RunCancelled",
      statusMessage: "CustomRun cancelled as the PipelineRun it belongs to has timed out.",
    });
  });
});

describe("Argo CD", () => {
  it("refreshes on the refresh annotation and removes it", async () => {
    const { custom } = clients(sim.kubeconfigPath, "staging");
    await custom.patchNamespacedCustomObject(
      {
        ...APP,
        name: "payments-staging",
        body: { metadata: { annotations: { "argocd.argoproj.io/refresh": "normal" } } },
      },
      mergePatch,
    );
    const app = await waitFor(() => {
      const a = get("staging", "applications.argoproj.io", "payments-staging", "argocd");
      return a && !a.metadata.annotations?.["argocd.argoproj.io/refresh"] ? a : undefined;
    }, "the annotation removed");
    expect(app.metadata.annotations).toEqual({ "argocd.argoproj.io/manifest-generate-paths": "." });
  });

  it("syncs production only when `operation` is set, and refuses a second sync while one runs", async () => {
    const image = `harbor.shiplog.test/shop/payments@sha256:${"fe".repeat(32)}`;
    const commit = sim.git.commit(sim.config.manifestsRepo, {
      sha: "c0ffee".padEnd(40, "0"),
      title: "hotfix",
      message: "hotfix",
      author: { name: "Carol", email: "carol@shop.example.com", username: "carol" },
      files: { "payments/production/kustomization.yaml": manifestsFile(image) },
    });
    const outOfSync = await waitFor(() => {
      const a = get("production", "applications.argoproj.io", "payments-production", "argocd");
      const sync = (a?.status as { sync?: { status: string; revision: string } })?.sync;
      return sync?.status === "OutOfSync" && sync.revision === commit.sha ? a : undefined;
    }, "OutOfSync");
    await new Promise((r) => setTimeout(r, 300));
    const waiting = get("production", "applications.argoproj.io", "payments-production", "argocd")!;
    expect(waiting.operation).toBeUndefined();
    expect((waiting.status as { history: unknown[] }).history).toHaveLength(1);
    expect((outOfSync.status as { summary: unknown }).summary).toEqual({
      images: [expect.stringContaining(digest)],
    });

    const { custom } = clients(sim.kubeconfigPath, "production");
    await custom.patchNamespacedCustomObject(
      {
        ...APP,
        name: "payments-production",
        body: { operation: { initiatedBy: { username: "carol" }, sync: { revision: commit.sha } } },
      },
      mergePatch,
    );
    expect(sim.argocd.production.requestSync("payments-production", { username: "dave" })).toEqual({
      ok: false,
      message: "another operation is already in progress",
    });
    const synced = await waitFor(() => {
      const a = get("production", "applications.argoproj.io", "payments-production", "argocd");
      const st = a?.status as
        { health?: { status: string }; operationState?: { phase: string } } | undefined;
      return st?.operationState?.phase === "Succeeded" &&
        st.health?.status === "Healthy" &&
        !a?.operation
        ? a
        : undefined;
    }, "the production sync");
    const st = synced.status as AppStatus;
    expect(st.history).toHaveLength(2);
    expect(st.history[1]).toMatchObject({
      id: 1,
      revision: commit.sha,
      initiatedBy: { username: "carol" },
    });
    expect(st.sync).toMatchObject({ status: "Synced", revision: commit.sha });
    expect(st.summary.images).toEqual([image]);
    expect(st.operationState.syncResult.revision).toBe(commit.sha);
  });
});
