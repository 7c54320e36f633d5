// Synthetic releases for the benchmarks: real-shaped objects (test/scenarios/release.ts) with
// fresh names, SHAs and digests, normalized as the watchers would.
import { createHash } from "node:crypto";
import { normalizeGitPush, normalizeHarborWebhook, normalizeResource } from "../../lib/sources";
import type { Observation } from "../../lib/sources/types";
import type { Incoming } from "../../lib/ingest/store";
import * as release from "../../test/scenarios/release";

const hex = (seed: string, length: number) =>
  createHash("sha256").update(seed).digest("hex").slice(0, length);

function observations(result: ReturnType<typeof normalizeResource>): Observation[] {
  if (!result.ok) throw result.error;
  return result.observations;
}

/** One release's events: push, Build (running, then succeeded), Harbor push, PipelineRun, TaskRun, Application. */
export function releaseEvents(i: number, app = `app${i % 20}`): Incoming[] {
  const sha = hex(`commit-${i}`, 40);
  const digest = `sha256:${hex(`digest-${i}`, 64)}`;
  const manifests = hex(`manifests-${i}`, 40);
  const repo = `https://gitlab.example.com/shop/${app}`;
  const none = { cluster: "", environment: null };
  const staging = { cluster: "staging", environment: "staging" };

  const push = release.gitPush();
  push.project.web_url = repo;
  push.project.git_http_url = `${repo}.git`;
  push.project.path_with_namespace = `shop/${app}`;
  push.after = push.checkout_sha = sha;
  push.commits = [
    {
      ...push.commits[1],
      id: sha,
      url: `${repo}/-/commit/${sha}`,
      message: `change ${i}`,
      title: `change ${i}`,
    },
  ];

  const build = (rv: string, done: boolean) => {
    const b = release.build(rv, done);
    b.metadata.name = `${app}-build-${i}`;
    b.metadata.uid = `build-${i}`;
    b.metadata.labels["image.kpack.io/image"] = app;
    b.spec.source.git = { url: `${repo}.git`, revision: sha };
    if (done) b.status.latestImage = `harbor.example.com/shop/${app}@${digest}`;
    return b;
  };
  const harbor = release.harborPush();
  harbor.event_data.resources[0] = {
    digest,
    tag: sha.slice(0, 7),
    resource_url: `harbor.example.com/shop/${app}:${sha.slice(0, 7)}`,
  };
  harbor.event_data.repository = {
    name: app,
    namespace: "shop",
    repo_full_name: `shop/${app}`,
    repo_type: "private",
  };

  const pr = release.pipelineRun(`${i * 10 + 3}`);
  pr.metadata.name = `promote-${app}-${i}`;
  pr.metadata.uid = `pr-${i}`;
  pr.spec.params = [{ name: "harbor-event", value: JSON.stringify(harbor) }];
  const tr = release.gitCliTaskRun(`${i * 10 + 4}`);
  tr.metadata.name = `promote-${app}-${i}-git-cli`;
  tr.metadata.uid = `tr-${i}`;
  tr.metadata.labels["tekton.dev/pipelineRun"] = pr.metadata.name;
  tr.status.results = [{ name: "commit", value: manifests }];
  const application = release.application(`${app}-staging`, `${i * 10 + 5}`, [
    `harbor.example.com/shop/${app}@${digest}`,
  ]);
  application.metadata.uid = `application-${app}`;
  for (const path of [
    application.status.sync,
    application.status.operationState.syncResult,
    application.status.operationState.operation.sync,
  ]) {
    path.revision = manifests;
  }

  const k8s = (object: Record<string, unknown>) =>
    observations(normalizeResource(object)).map((observation) => ({
      scope: staging,
      observation,
      object,
    }));
  return [
    ...observations(normalizeGitPush(push, { event: "Push Hook" })).map((observation) => ({
      scope: none,
      observation,
    })),
    ...k8s(build(`${i * 10 + 1}`, false)),
    ...k8s(build(`${i * 10 + 2}`, true)),
    ...observations(normalizeHarborWebhook(harbor)).map((observation) => ({
      scope: none,
      observation,
    })),
    ...k8s(pr),
    ...k8s(tr),
    ...k8s(application),
  ];
}
