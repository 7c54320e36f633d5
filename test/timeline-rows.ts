// Test-only: one realistic commit's stored rows, built from the real fixtures through the real
// normalizers and laid out the way the store writes them (times moved onto one morning).
import { normalizeHarborArtifact } from "@/lib/sources/harbor";
import { normalizeApplication } from "@/lib/sources/argocd";
import { normalizeApprovalTask } from "@/lib/sources/approval-gate";
import { normalizeBuild, normalizeImage } from "@/lib/sources/kpack";
import { normalizeCustomRun, normalizePipelineRun, normalizeTaskRun } from "@/lib/sources/tekton";
import {
  all,
  loadJson,
  loadYaml,
  loadYamlDocs,
  one,
  pipelineRunFixture,
  type Obj,
} from "@/test/reference-fixtures";
import type { ImageDetails, Observation, ScanDetails } from "@/lib/sources/types";
import type { ArtifactRow, LinkRow, ResourceRow, TimelineInput } from "@/lib/timeline/types";

export const SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";
export const DIGEST = "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";
export const MANIFESTS = "ea8759964626a583667a2bfd08f334ec2070040a";
export const NOW = new Date("2024-05-06T10:30:00Z");

/** A resources row as the store writes it for one observation of `raw` in `cluster`. */
export function resourceRow(
  id: number,
  o: Observation,
  raw: Obj,
  cluster: string,
  extra: Partial<ResourceRow> = {},
): ResourceRow {
  return {
    id: BigInt(id),
    system: o.system,
    kind: o.kind,
    cluster,
    namespace: o.namespace ?? "",
    name: o.name,
    uid: o.uid ?? o.key,
    key: o.key,
    object: raw,
    observation: o,
    stage: o.stage,
    status: o.status,
    reason: o.reason,
    startedAt: o.startedAt ? new Date(o.startedAt) : null,
    finishedAt: o.finishedAt ? new Date(o.finishedAt) : null,
    parentKey: o.parent ? `tekton:PipelineRun:${o.namespace ?? ""}/${o.parent.name}` : null,
    environment: o.environment,
    deletedAt: null,
    ...extra,
  };
}

function cond(status: string, reason: string, at: string): Obj {
  return { type: "Succeeded", status, reason, lastTransitionTime: at };
}

/** kpack Build #n of Image "payments" for SHA. */
export function build(n: number, ok: boolean, start: string, end: string): Obj {
  const b = loadYaml("kpack/sample-build.yaml");
  b.metadata = {
    name: `payments-build-${n}`,
    namespace: "apps",
    uid: `b-${n}`,
    creationTimestamp: start,
    labels: { "image.kpack.io/image": "payments", "image.kpack.io/buildNumber": String(n) },
    annotations: { "image.kpack.io/reason": n === 1 ? "COMMIT" : "TRIGGER" },
  };
  b.spec.tags = ["harbor.example.com/shop/payments/api"];
  b.spec.source.git = { url: "https://gitlab.example.com/shop/payments.git", revision: SHA };
  b.status = {
    latestImage: ok ? `harbor.example.com/shop/payments/api@${DIGEST}` : undefined,
    conditions: [cond(ok ? "True" : "False", ok ? "" : "BuildFailed", end)],
  };
  return b;
}

/** The chains PipelineRun, as run `name` of Pipeline `pipeline`, labelled for SHA. */
export function pipelineRun(
  name: string,
  pipeline: string,
  start: string,
  end: string | null,
): Obj {
  const pr = pipelineRunFixture();
  pr.metadata.name = name;
  pr.metadata.uid = `uid-${name}`;
  pr.metadata.labels = { "tekton.dev/pipeline": pipeline, "shiplog.dev/commit": SHA };
  pr.spec.pipelineRef.name = pipeline;
  pr.status.startTime = start;
  if (end) pr.status.completionTime = end;
  else {
    delete pr.status.completionTime;
    pr.status.conditions = [{ type: "Succeeded", status: "Unknown", reason: "Running" }];
  }
  return pr;
}

/** The real TaskRun as a child of PipelineRun `parent`. */
export function taskRun(
  name: string,
  task: string,
  parent: string,
  start: string,
  ok: boolean,
): Obj {
  const tr = loadJson("tekton/testdata-taskrun-v1-status.json");
  tr.metadata = {
    name,
    namespace: "ci",
    uid: `uid-${name}`,
    labels: {
      "tekton.dev/pipelineTask": task,
      "tekton.dev/pipelineRun": parent,
      "tekton.dev/pipelineRunUID": `uid-${parent}`,
    },
  };
  tr.status.startTime = start;
  tr.status.completionTime = new Date(Date.parse(start) + 15_000).toISOString();
  tr.status.conditions = [cond(ok ? "True" : "False", ok ? "Succeeded" : "Failed", start)];
  return tr;
}

/** manual-approval-gate: its CustomRun and ApprovalTask, both named "promote-approve". */
export function gate(parent: string, state: "pending" | "approved"): { customRun: Obj; task: Obj } {
  const labels = {
    "tekton.dev/pipelineRun": parent,
    "tekton.dev/pipelineRunUID": `uid-${parent}`,
    "tekton.dev/pipelineTask": "approve-production",
    "shiplog.dev/environment": "production",
  };
  const customRun = loadYaml("approval-gate/testdata-customrun-approvaltask.yaml");
  customRun.metadata = { name: "promote-approve", namespace: "ci", uid: "uid-cr", labels };
  customRun.status = {
    startTime: "2024-05-06T10:17:00Z",
    conditions: [{ type: "Succeeded", status: "Unknown", reason: "Running" }],
  };
  const task = loadYaml("approval-gate/doc-approvaltask-complete.yaml");
  task.metadata = { name: "promote-approve", namespace: "ci", uid: "uid-at", labels };
  task.status.startTime = "2024-05-06T10:17:01Z";
  if (state === "approved") {
    task.status = {
      ...task.status,
      ...loadYaml("approval-gate/doc-approvaltask-status-approved.yaml").status,
    };
    customRun.status.conditions = [cond("True", "Succeeded", "2024-05-06T10:25:00Z")];
    customRun.status.completionTime = "2024-05-06T10:25:00Z";
  }
  return { customRun, task };
}

/** The real Argo CD Application, synced to MANIFESTS at 10:18, one row per revision. */
export function application(): Obj {
  const app = loadYaml("argocd/testdata-application-full-status.yaml");
  app.metadata.name = "payments-staging";
  app.metadata.namespace = "argocd";
  app.status.operationState.startedAt = "2024-05-06T10:18:00Z";
  app.status.operationState.finishedAt = "2024-05-06T10:19:00Z";
  // Its history: the one sync of this revision, the operation above (earlier syncs would be
  // earlier attempts of the deploy).
  app.status.history = [
    {
      ...app.status.history.at(-1),
      deployStartedAt: "2024-05-06T10:18:00Z",
      deployedAt: "2024-05-06T10:19:00Z",
    },
  ];
  app.status.health.lastTransitionTime = "2024-05-06T10:19:10Z";
  app.status.summary.images = [`harbor.example.com/shop/payments/api@${DIGEST}`];
  return app;
}

/** The Harbor API artifact as lib/ingest keeps it: the scan's status, ScanDetails with its times. */
export function artifactRow(id: number): ArtifactRow {
  const [img, scan] = all(normalizeHarborArtifact(loadJson("harbor/api-artifact-with-scan.json")));
  const d = img.details as ImageDetails;
  const s = scan.details as ScanDetails;
  return {
    id: BigInt(id),
    project: "shop",
    repository: d.repository,
    digest: d.digest,
    tags: d.tags,
    pushedAt: d.pushedAt ? new Date(d.pushedAt) : null,
    scanStatus: scan.status,
    severity: s.severity,
    scanSummary: {
      ...s,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt,
      reason: scan.reason,
    },
    scanner: s.scanner?.name ?? null,
    deletedAt: null,
  };
}

const link = (toType: string, toId: number, rule: string, evidence: string | null): LinkRow => ({
  toType,
  toId: BigInt(toId),
  rule,
  evidence,
});

/**
 * The reference chain for SHA: build #1 failed and #2 rebuilt it, the image and its scan, a release
 * PipelineRun (two TaskRuns) waiting at a production gate, a staging deploy and a verify run.
 */
export function scenario(gateState: "pending" | "approved" = "pending"): TimelineInput {
  const obs = (r: ReturnType<typeof normalizeBuild>) => one(r);
  const b1 = build(1, false, "2024-05-06T10:11:00Z", "2024-05-06T10:12:30Z");
  const b2 = build(2, true, "2024-05-06T10:14:00Z", "2024-05-06T10:15:40Z");
  const kpackImage = loadYamlDocs("kpack/sample-image-from-git.yaml")[1];
  kpackImage.metadata.namespace = "apps";
  const release = pipelineRun("release-x7k2p", "release", "2024-05-06T10:16:00Z", null);
  const verify = pipelineRun(
    "e2e-4kq",
    "selenium-e2e",
    "2024-05-06T10:19:30Z",
    "2024-05-06T10:21:00Z",
  );
  verify.metadata.labels["shiplog.dev/stage"] = "verify";
  verify.metadata.labels["shiplog.dev/environment"] = "staging";
  const clone = taskRun(
    "release-x7k2p-git-clone",
    "git-clone",
    "release-x7k2p",
    "2024-05-06T10:16:01Z",
    true,
  );
  const buildTask = taskRun(
    "release-x7k2p-build",
    "build",
    "release-x7k2p",
    "2024-05-06T10:16:20Z",
    true,
  );
  const { customRun, task } = gate("release-x7k2p", gateState);
  const app = application();
  const deploy = obs(normalizeApplication(app));
  const resources = [
    resourceRow(1, obs(normalizeBuild(b1)), b1, "ci"),
    resourceRow(2, obs(normalizeBuild(b2)), b2, "ci"),
    resourceRow(3, obs(normalizeImage(kpackImage)), kpackImage, "ci"),
    resourceRow(4, obs(normalizePipelineRun(release)), release, "ci"),
    resourceRow(5, obs(normalizeTaskRun(clone)), clone, "ci"),
    resourceRow(6, obs(normalizeTaskRun(buildTask)), buildTask, "ci"),
    resourceRow(7, obs(normalizeCustomRun(customRun)), customRun, "ci"),
    resourceRow(8, obs(normalizeApprovalTask(task)), task, "ci"),
    resourceRow(9, deploy, app, "staging-eu", {
      uid: `${deploy.uid}@${MANIFESTS}`,
      environment: "staging",
    }),
    resourceRow(10, obs(normalizePipelineRun(verify)), verify, "staging-eu", {
      environment: "staging",
    }),
  ];
  return {
    commit: {
      sha: SHA,
      branch: "main",
      author: "Dana Scully",
      message: "Charge in the customer's currency\n\nCloses #42",
      url: `https://gitlab.example.com/shop/payments/-/commit/${SHA}`,
      committedAt: new Date("2024-05-06T10:10:00Z"),
    },
    app: { name: "payments", repoUrl: "https://gitlab.example.com/shop/payments" },
    resources,
    artifacts: [artifactRow(1)],
    links: [
      link("resource", 1, "revision", SHA),
      link("resource", 2, "revision", SHA),
      link("resource", 4, "label", "shiplog.dev/commit"),
      link("resource", 7, "parent", "tekton:PipelineRun:ci/release-x7k2p"),
      link("resource", 9, "manifests-revision", MANIFESTS),
      link("resource", 10, "label", "shiplog.dev/commit"),
      link("artifact", 1, "digest", DIGEST),
    ],
  };
}
