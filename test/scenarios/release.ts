// Test-only: one commit's release through the reference pipeline, built from the real object
// shapes in test/fixtures — Git push, kpack Build, Harbor push and scan, the promote PipelineRun
// (Harbor's webhook body as one param) with its TaskRuns, and Argo CD in two clusters.
import { loadJson, loadYaml, type Obj } from "@/test/reference-fixtures";

export const SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";
export const REPO = "https://gitlab.example.com/shop/payments";
export const DIGEST = "sha256:" + "a1".repeat(32);
export const MANIFESTS = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

const meta = (
  name: string,
  namespace: string,
  uid: string,
  resourceVersion: string,
  extra: Obj = {},
) => ({
  name,
  namespace,
  uid,
  resourceVersion,
  creationTimestamp: "2026-11-25T10:00:00Z",
  ...extra,
});

export function gitPush(): Obj {
  return loadJson("git/gitlab-push-hook.json");
}

export function build(resourceVersion = "101", succeeded = true): Obj {
  const b = loadYaml("kpack/sample-build.yaml");
  b.metadata = meta("payments-build-1", "apps", "uid-build-1", resourceVersion, {
    labels: { "image.kpack.io/image": "payments", "image.kpack.io/buildNumber": "1" },
    annotations: { "image.kpack.io/reason": "COMMIT" },
  });
  b.spec.tags = ["harbor.example.com/shop/payments:latest"];
  b.spec.source.git = { url: `${REPO}.git`, revision: SHA };
  b.status = {
    conditions: [
      succeeded
        ? { type: "Succeeded", status: "True", lastTransitionTime: "2026-11-25T10:03:00Z" }
        : { type: "Succeeded", status: "Unknown", lastTransitionTime: "2026-11-25T10:00:05Z" },
    ],
    ...(succeeded ? { latestImage: `harbor.example.com/shop/payments@${DIGEST}` } : {}),
    stepsCompleted: succeeded
      ? ["prepare", "detect", "analyze", "restore", "build", "export"]
      : ["prepare"],
  };
  return b;
}

export function harborPush(): Obj {
  const hook = loadJson("harbor/webhook-push-artifact-default.json");
  hook.occur_at = 1795600990;
  hook.event_data.resources[0] = {
    digest: DIGEST,
    tag: "1.4.0",
    resource_url: "harbor.example.com/shop/payments:1.4.0",
  };
  hook.event_data.repository = {
    date_created: 1795600000,
    name: "payments",
    namespace: "shop",
    repo_full_name: "shop/payments",
    repo_type: "private",
  };
  return hook;
}

export function harborScan(): Obj {
  const hook = loadJson("harbor/webhook-scanning-completed-default.json");
  const resource = hook.event_data.resources[0];
  resource.digest = DIGEST;
  resource.resource_url = `harbor.example.com/shop/payments@${DIGEST}`;
  hook.event_data.repository = {
    name: "payments",
    namespace: "shop",
    repo_full_name: "shop/payments",
    repo_type: "private",
  };
  return hook;
}

export function pipelineRun(resourceVersion = "201"): Obj {
  const pr = loadJson("tekton/testdata-pipelinerun-v1-status-childrefs.json");
  pr.apiVersion = "tekton.dev/v1";
  pr.kind = "PipelineRun";
  pr.metadata = meta("promote-payments-x7k2p", "ci", "uid-pr-1", resourceVersion, {
    labels: { "tekton.dev/pipeline": "promote" },
  });
  pr.spec.params = [{ name: "harbor-event", value: JSON.stringify(harborPush()) }];
  delete pr.status.results;
  pr.status.childReferences = [
    {
      apiVersion: "tekton.dev/v1",
      kind: "TaskRun",
      name: "promote-payments-x7k2p-parse",
      pipelineTaskName: "parse",
    },
    {
      apiVersion: "tekton.dev/v1",
      kind: "TaskRun",
      name: "promote-payments-x7k2p-git-cli",
      pipelineTaskName: "git-cli",
    },
  ];
  return pr;
}

export function gitCliTaskRun(resourceVersion = "202"): Obj {
  const tr = loadJson("tekton/testdata-taskrun-v1-status.json");
  tr.apiVersion = "tekton.dev/v1";
  tr.kind = "TaskRun";
  tr.metadata = meta("promote-payments-x7k2p-git-cli", "ci", "uid-tr-git-cli", resourceVersion, {
    labels: {
      "tekton.dev/pipeline": "promote",
      "tekton.dev/pipelineRun": "promote-payments-x7k2p",
      "tekton.dev/pipelineRunUID": "uid-pr-1",
      "tekton.dev/pipelineTask": "git-cli",
      "tekton.dev/memberOf": "tasks",
    },
  });
  tr.spec.params = [{ name: "GIT_SCRIPT", value: "git commit -am 'promote payments'" }];
  tr.status.results = [{ name: "commit", value: MANIFESTS }];
  return tr;
}

export function application(name: string, resourceVersion: string, images: string[]): Obj {
  const app = loadYaml("argocd/testdata-application-full-status.yaml");
  app.metadata = meta(name, "argocd", `uid-${name}`, resourceVersion);
  app.status.sync.revision = MANIFESTS;
  app.status.operationState.syncResult.revision = MANIFESTS;
  app.status.operationState.operation.sync.revision = MANIFESTS;
  app.status.summary = { images };
  return app;
}
