// One commit through the reference pipeline to staging, over real HTTP: the Git and Harbor
// webhooks reach a node:http receiver with their secrets, and kpack → Harbor → Tekton → Argo CD →
// E2E leave the objects Shiplog reads, in the shapes its normalizers expect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeGitPush } from "@/lib/sources/git";
import { normalizePipelineRun } from "@/lib/sources/tekton";
import { NO_FAILURES, type Truth } from "./index";
import {
  clients,
  objectIn,
  startReceiver,
  startTestSimulator,
  succeededCondition as cond,
  waitFor,
  waitForCommit,
  type AppStatus,
  type TestSimulator,
} from "./test-support";

let sim: TestSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sha: string;
let digest: string;
let commit: Truth["commits"][number];
const get = (cluster: string, type: string, ns: string, name: string) =>
  objectIn(sim, cluster, type, ns, name);

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startTestSimulator({
    seed: 11,
    apps: ["payments"],
    rates: NO_FAILURES,
    play: false,
    webhookBase: receiver.url,
    harborWebhookSecret: "harbor-secret",
    gitWebhookSecret: "git-secret",
  });
  sha = sim.commit("payments").sha;
  commit = await waitForCommit(
    sim,
    sha,
    (c) => c.pipelineRuns.some((p) => p.stage === "verify" && p.status === "succeeded"),
    "the staging verify run",
  );
  digest = commit.builds[0].digest!;
});

afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

describe("a commit flows to staging", () => {
  it("is built by kpack and pushed to Harbor, then scanned", async () => {
    expect(commit.builds).toEqual([
      expect.objectContaining({
        cluster: "staging",
        namespace: "apps",
        name: "payments-build-2",
        status: "succeeded",
        reason: "COMMIT",
      }),
    ]);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const build = get("staging", "builds.kpack.io", "apps", "payments-build-2");
    expect(build.spec).toMatchObject({
      source: { git: { url: "https://gitlab.example.com/shop/payments.git", revision: sha } },
    });
    expect(build.status).toMatchObject({
      latestImage: `harbor.shiplog.test/shop/payments@${digest}`,
      podName: "payments-build-2-build-pod",
      stepsCompleted: ["prepare", "detect", "analyze", "restore", "build", "export"],
    });
    const image = get("staging", "images.kpack.io", "apps", "payments");
    expect(image.status).toMatchObject({
      latestImage: `harbor.shiplog.test/shop/payments@${digest}`,
      latestBuildRef: "payments-build-2",
      buildCounter: 2,
      latestBuildReason: "COMMIT",
    });
    const { core } = clients(sim.kubeconfigPath, "staging");
    const exportLog = await core.readNamespacedPodLog({
      name: "payments-build-2-build-pod",
      namespace: "apps",
      container: "export",
    });
    expect(exportLog).toContain(`*** Images (${digest}):`);

    // Harbor's API has the artifact with the commit as its OCI revision label.
    const res = await fetch(
      `${sim.harbor.apiUrl}/projects/shop/repositories/payments/artifacts/${digest}?with_scan_overview=true`,
      {
        headers: { Authorization: `Basic ${Buffer.from("admin:Harbor12345").toString("base64")}` },
      },
    );
    expect(res.status).toBe(200);
    const artifact = (await res.json()) as {
      extra_attrs: { config: { Labels: Record<string, string> } };
    };
    expect(artifact.extra_attrs.config.Labels["org.opencontainers.image.revision"]).toBe(sha);

    expect(commit.artifacts).toEqual([
      {
        repository: "shop/payments",
        digest,
        tags: [expect.stringMatching(/^b2\.\d{8}\.\d{6}$/), "latest"],
        scan: expect.objectContaining({ status: "succeeded" }),
      },
    ]);
    expect(commit.artifacts[0].scan.counts).toMatchObject({ critical: 0 });
  });

  it("reaches Shiplog as a Git push hook and Harbor webhooks, with their secrets", async () => {
    const push = receiver.requests.find((r) => r.path === "/api/webhooks/git");
    expect(push?.headers["x-gitlab-token"]).toBe("git-secret");
    expect(push?.headers["x-gitlab-event"]).toBe("Push Hook");
    expect(push?.body).toMatchObject({ object_kind: "push", after: sha, ref: "refs/heads/main" });
    const pushed = normalizeGitPush(push?.body, { event: "Push Hook" });
    expect(pushed.ok && pushed.observations[0].revision?.sha).toBe(sha);
    const harborHooks = receiver.requests.filter((r) => r.path === "/api/webhooks/harbor");
    expect(harborHooks.every((r) => r.headers.authorization === "harbor-secret")).toBe(true);
    const pushHook = harborHooks.find(
      (r) => r.body.type === "PUSH_ARTIFACT" && JSON.stringify(r.body).includes(digest),
    );
    expect(pushHook?.body).toMatchObject({
      operator: "robot$shop+kpack",
      event_data: {
        resources: [
          {
            digest,
            resource_url: expect.stringMatching(/^harbor\.shiplog\.test\/shop\/payments:b2\./),
          },
        ],
        repository: { name: "payments", namespace: "shop", repo_full_name: "shop/payments" },
      },
    });
    await waitFor(
      () =>
        harborHooks.length &&
        receiver.requests.some(
          (r) => r.body.type === "SCANNING_COMPLETED" && JSON.stringify(r.body).includes(digest),
        ),
      "SCANNING_COMPLETED",
    );
  });

  it("is promoted by a PipelineRun carrying Harbor's webhook body as one param", async () => {
    const pushHook = receiver.requests.find(
      (r) => r.body.type === "PUSH_ARTIFACT" && JSON.stringify(r.body).includes(digest),
    );
    const run = commit.pipelineRuns.find((p) => p.stage === "pipeline")!;
    expect(run).toMatchObject({
      cluster: "staging",
      namespace: "ci",
      environment: "staging",
      status: "succeeded",
    });
    expect(run.name).toMatch(/^promote-payments-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const pr = get("staging", "pipelineruns.tekton.dev", "ci", run.name);
    expect(pr.metadata).toMatchObject({
      generateName: "promote-payments-",
      labels: {
        "tekton.dev/pipeline": "promote",
        "shiplog.dev/app": "payments",
        "shiplog.dev/environment": "staging",
      },
    });
    const param = (pr.spec as { params: Array<{ name: string; value: string }> }).params.find(
      (p) => p.name === "harbor-event",
    )!;
    expect(JSON.parse(param.value)).toEqual(pushHook?.body);
    expect(cond(pr)).toMatchObject({
      status: "True",
      reason: "Succeeded",
      message: "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
    });
    expect((pr.status as { childReferences: unknown }).childReferences).toEqual([
      {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        name: `${run.name}-parse`,
        pipelineTaskName: "parse",
      },
      {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        name: `${run.name}-git-cli`,
        pipelineTaskName: "git-cli",
      },
    ]);
    const gitCli = get("staging", "taskruns.tekton.dev", "ci", `${run.name}-git-cli`);
    expect(gitCli.metadata.labels).toMatchObject({
      "tekton.dev/pipelineRun": run.name,
      "tekton.dev/pipelineRunUID": pr.metadata.uid,
      "tekton.dev/pipelineTask": "git-cli",
      "tekton.dev/memberOf": "tasks",
      "shiplog.dev/app": "payments",
    });
    const manifests = (
      gitCli.status as { results: Array<{ name: string; value: string }> }
    ).results.find((r) => r.name === "commit")!.value;
    expect(
      sim.git.at(sim.config.manifestsRepo, manifests)?.tree["payments/staging/kustomization.yaml"],
    ).toContain(digest);
    expect((pr.status as { results: unknown }).results).toEqual([
      { name: "digest", value: digest },
      { name: "commit", value: manifests },
    ]);
    const normalized = normalizePipelineRun(pr);
    expect(normalized.ok && normalized.observations[0]).toMatchObject({
      digests: [digest],
      manifestsRevisions: [{ sha: manifests }],
      environment: "staging",
      stage: "pipeline",
    });
  });

  it("is synced by Argo CD, turns Healthy and is verified by an E2E run", () => {
    const app = get("staging", "applications.argoproj.io", "argocd", "payments-staging");
    const st = app.status as AppStatus;
    expect(st.sync.status).toBe("Synced");
    expect(st.health.status).toBe("Healthy");
    expect(st.summary.images).toEqual([`harbor.shiplog.test/shop/payments@${digest}`]);
    expect(st.history.at(-1)).toMatchObject({
      id: 1,
      revision: st.operationState.syncResult.revision,
    });
    expect(st.operationState).toMatchObject({
      phase: "Succeeded",
      operation: { initiatedBy: { automated: true } },
    });
    expect(commit.deploys).toContainEqual(
      expect.objectContaining({
        cluster: "staging",
        application: "payments-staging",
        environment: "staging",
        status: "succeeded",
        health: "Healthy",
      }),
    );
    const verify = commit.pipelineRuns.find((p) => p.stage === "verify")!;
    const vr = get("staging", "pipelineruns.tekton.dev", "ci", verify.name);
    expect(verify.name).toMatch(/^e2e-payments-/);
    expect(vr.metadata.labels).toMatchObject({
      "shiplog.dev/stage": "verify",
      "shiplog.dev/environment": "staging",
    });
    expect((vr.spec as { params: unknown[] }).params).toContainEqual({
      name: "image",
      value: `harbor.shiplog.test/shop/payments@${digest}`,
    });
  });
});
