// Contract: @kubernetes/client-node 1.4.0 informers and API clients work against the simulator unchanged.
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestSim, startTestSim, waitFor } from "./test-support";
import type { KubeObject } from "./types";

let sim: TestSim;
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
const informers: k8s.Informer<k8s.KubernetesObject>[] = [];

const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

beforeAll(async () => {
  sim = await startTestSim();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await Promise.all(informers.map((i) => i.stop()));
  await sim?.close();
});

interface Recorder {
  informer: k8s.Informer<k8s.KubernetesObject> & k8s.ObjectCache<k8s.KubernetesObject>;
  events: string[];
  errors: unknown[];
}

function record(
  path: string,
  list: () => Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>,
): Recorder {
  const informer = k8s.makeInformer(kc, path, list);
  const rec: Recorder = { informer, events: [], errors: [] };
  for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) {
    informer.on(verb, (obj) => rec.events.push(`${verb} ${obj.metadata?.name}`));
  }
  informer.on(k8s.ERROR, (err) => rec.errors.push(err));
  informers.push(informer);
  return rec;
}

interface CustomKind {
  group: string;
  version: string;
  plural: string;
  kind: string;
  spec: Record<string, unknown>;
  clusterWide: boolean;
}

const customKinds: CustomKind[] = [
  {
    group: "kpack.io",
    version: "v1alpha2",
    plural: "images",
    kind: "Image",
    spec: { tag: "registry.local/app" },
    clusterWide: true,
  },
  {
    group: "kpack.io",
    version: "v1alpha2",
    plural: "builds",
    kind: "Build",
    spec: { tags: ["registry.local/app"] },
    clusterWide: false,
  },
  {
    group: "tekton.dev",
    version: "v1",
    plural: "pipelineruns",
    kind: "PipelineRun",
    spec: { pipelineRef: { name: "deploy" } },
    clusterWide: true,
  },
  {
    group: "tekton.dev",
    version: "v1",
    plural: "taskruns",
    kind: "TaskRun",
    spec: { taskRef: { name: "build" } },
    clusterWide: false,
  },
  {
    group: "tekton.dev",
    version: "v1",
    plural: "pipelines",
    kind: "Pipeline",
    spec: { tasks: [] },
    clusterWide: true,
  },
  {
    group: "tekton.dev",
    version: "v1",
    plural: "tasks",
    kind: "Task",
    spec: { steps: [] },
    clusterWide: false,
  },
  {
    group: "tekton.dev",
    version: "v1beta1",
    plural: "customruns",
    kind: "CustomRun",
    spec: { customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" } },
    clusterWide: true,
  },
  {
    group: "argoproj.io",
    version: "v1alpha1",
    plural: "applications",
    kind: "Application",
    spec: {
      project: "default",
      destination: { server: "https://kubernetes.default.svc", namespace: "apps" },
      source: { repoURL: "https://git.local/manifests.git", path: "app", targetRevision: "HEAD" },
    },
    clusterWide: false,
  },
  {
    group: "openshift-pipelines.org",
    version: "v1alpha1",
    plural: "approvaltasks",
    kind: "ApprovalTask",
    spec: {
      approvers: [{ name: "alice", type: "User", input: "pending" }],
      numberOfApprovalsRequired: 1,
    },
    clusterWide: true,
  },
];

describe("client-node informers", () => {
  it("list+watch every custom kind: add, update and delete arrive", async () => {
    await Promise.all(
      customKinds.map(async (k) => {
        const ns = "ci";
        const gvPath = `/apis/${k.group}/${k.version}`;
        const rec = k.clusterWide
          ? record(`${gvPath}/${k.plural}?allowWatchBookmarks=true`, () =>
              custom.listClusterCustomObject({
                group: k.group,
                version: k.version,
                plural: k.plural,
              }),
            )
          : record(`${gvPath}/namespaces/${ns}/${k.plural}?allowWatchBookmarks=true`, () =>
              custom.listNamespacedCustomObject({
                group: k.group,
                version: k.version,
                namespace: ns,
                plural: k.plural,
              }),
            );
        await rec.informer.start();
        const name = `inf-${k.plural}`;
        const ref = { group: k.group, version: k.version, namespace: ns, plural: k.plural, name };
        await custom.createNamespacedCustomObject({
          ...ref,
          body: {
            apiVersion: `${k.group}/${k.version}`,
            kind: k.kind,
            metadata: { name },
            spec: k.spec,
          },
        });
        await waitFor(() => rec.events.includes(`add ${name}`), `${k.kind} add`);
        await custom.patchNamespacedCustomObject(
          { ...ref, body: { metadata: { labels: { touched: "yes" } } } },
          mergePatch,
        );
        await waitFor(() => rec.events.includes(`update ${name}`), `${k.kind} update`);
        expect(rec.informer.get(name, ns)?.metadata?.labels).toEqual({ touched: "yes" });
        await custom.deleteNamespacedCustomObject(ref);
        await waitFor(() => rec.events.includes(`delete ${name}`), `${k.kind} delete`);
        expect(rec.events, k.kind).toEqual([`add ${name}`, `update ${name}`, `delete ${name}`]);
        expect(rec.errors).toEqual([]);
      }),
    );
  });

  it("list+watch core namespaces, pods and events", async () => {
    const nsRec = record("/api/v1/namespaces", () => core.listNamespace());
    const podRec = record("/api/v1/pods", () => core.listPodForAllNamespaces());
    const evRec = record("/api/v1/namespaces/ci/events", () =>
      core.listNamespacedEvent({ namespace: "ci" }),
    );
    await Promise.all([nsRec, podRec, evRec].map((r) => r.informer.start()));
    expect(
      nsRec.informer
        .list()
        .map((n) => n.metadata?.name)
        .sort(),
    ).toEqual(["apps", "argocd", "ci", "default", "kpack"]);

    await core.createNamespace({ body: { metadata: { name: "team-x" } } });
    await core.createNamespacedPod({
      namespace: "team-x",
      body: {
        metadata: { name: "build-pod" },
        spec: { containers: [{ name: "step-build", image: "alpine" }] },
      },
    });
    await core.createNamespacedEvent({
      namespace: "ci",
      body: {
        metadata: { name: "ev-1" },
        involvedObject: { kind: "Pod", name: "build-pod", namespace: "team-x" },
        reason: "Started",
        message: "started",
      },
    });
    await waitFor(
      () =>
        nsRec.events.includes("add team-x") &&
        podRec.events.includes("add build-pod") &&
        evRec.events.includes("add ev-1"),
      "core adds",
    );
    await core.patchNamespacedPodStatus(
      { name: "build-pod", namespace: "team-x", body: { status: { phase: "Running" } } },
      mergePatch,
    );
    await waitFor(() => podRec.events.includes("update build-pod"), "pod update");
    expect((podRec.informer.get("build-pod", "team-x") as k8s.V1Pod).status?.phase).toBe("Running");
    await core.deleteNamespace({ name: "team-x" }); // takes its pods with it
    await waitFor(
      () => nsRec.events.includes("delete team-x") && podRec.events.includes("delete build-pod"),
      "namespace cascade",
    );
  });

  it("a watch resumed from a compacted resourceVersion gets 410; the informer relists and recovers", async () => {
    const store = sim.api.clusters.staging;
    const cr = (name: string): KubeObject => ({
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: { name, namespace: "apps" },
      spec: { customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" } },
    });
    store.create(cr("before"));
    store.create(cr("doomed"));
    const rec = record("/apis/tekton.dev/v1beta1/namespaces/apps/customruns", () =>
      custom.listNamespacedCustomObject({
        group: "tekton.dev",
        version: "v1beta1",
        namespace: "apps",
        plural: "customruns",
      }),
    );
    const connects: number[] = [];
    rec.informer.on(k8s.CONNECT, () => connects.push(Date.now()));
    await rec.informer.start();
    await waitFor(() => rec.events.includes("add doomed"), "initial list");
    const oldRv = (
      rec.informer as unknown as { latestResourceVersion(): string }
    ).latestResourceVersion();

    await rec.informer.stop();
    // client-node reports its own abort of the watch on stop() as an error; that is not the server's.
    await waitFor(() => rec.errors.length > 0, "stop() abort");
    expect(String(rec.errors[0])).toMatch(/aborted/);
    rec.errors.length = 0;
    store.create(cr("created-meanwhile"));
    store.delete("customruns", "apps", "doomed");
    sim.api.faults.compact();
    // Proof the server answers that old resourceVersion with 410 on watch (what the informer gets next).
    expect(() => store.watch("customruns", { resourceVersion: oldRv }, () => {})).toThrow(
      /too old resource version/,
    );

    await rec.informer.start(); // keeps its resourceVersion: watch → ERROR 410 → relist
    await waitFor(
      () => rec.events.includes("add created-meanwhile") && rec.events.includes("delete doomed"),
      "recovery after 410",
    );
    expect(
      rec.informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(["before", "created-meanwhile"]);
    expect(rec.errors).toEqual([]);
    expect(connects.length).toBeGreaterThanOrEqual(3); // start, 410 relist, restart
  });
});

describe("client-node status subresource", () => {
  it("merge-patches CustomRun /status; the main endpoint cannot change status", async () => {
    const ref = {
      group: "tekton.dev",
      version: "v1beta1",
      namespace: "ci",
      plural: "customruns",
      name: "gate-status",
    };
    const created = (await custom.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: "tekton.dev/v1beta1",
        kind: "CustomRun",
        metadata: { name: ref.name },
        spec: { customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" } },
      },
    })) as KubeObject;
    const running = {
      conditions: [{ type: "Succeeded", status: "Unknown", reason: "AwaitingApproval" }],
    };
    const patched = (await custom.patchNamespacedCustomObjectStatus(
      { ...ref, body: { status: running } },
      mergePatch,
    )) as KubeObject;
    expect(patched.status).toEqual(running);
    expect(patched.metadata.generation).toBe(1);
    expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );

    const viaMain = (await custom.patchNamespacedCustomObject(
      {
        ...ref,
        body: {
          status: { conditions: [{ type: "Succeeded", status: "True", reason: "Approved" }] },
        },
      },
      mergePatch,
    )) as KubeObject;
    expect(viaMain.status).toEqual(running);
    const current = (await custom.getNamespacedCustomObject(ref)) as KubeObject;
    const replaced = (await custom.replaceNamespacedCustomObject({
      ...ref,
      body: { ...current, status: { conditions: [] } },
    })) as KubeObject;
    expect(replaced.status).toEqual(running);

    // JSON patch is client-node's default content type for patches; it works on /status too.
    const approved = (await custom.patchNamespacedCustomObjectStatus({
      ...ref,
      body: [{ op: "replace", path: "/status/conditions/0/status", value: "True" }],
    })) as KubeObject;
    expect((approved.status as typeof running).conditions[0].status).toBe("True");
  });
});
