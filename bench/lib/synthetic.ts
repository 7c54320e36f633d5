// Synthetic releases for the benchmarks: real-shaped objects (test/scenarios/release.ts) with
// fresh names, SHAs and digests, normalized as the watchers would.
import { createHash } from "node:crypto";
import { normalizeGitPush, normalizeHarborWebhook, normalizeResource } from "../../lib/sources";
import type { Observation } from "../../lib/sources/types";
import type { Incoming, Scope } from "../../lib/ingest/store";
import type { Obj } from "@/test/reference-fixtures";
import * as release from "../../test/scenarios/release";

export const hex = (seed: string, length: number) =>
  createHash("sha256").update(seed).digest("hex").slice(0, length);

/** The keys release `i` is made of (the read benchmark's bulk load derives the same in SQL). */
export function releaseKeys(i: number) {
  return {
    sha: hex(`commit-${i}`, 40),
    digest: `sha256:${hex(`digest-${i}`, 64)}`,
    manifests: hex(`manifests-${i}`, 40),
  };
}

function observations(result: ReturnType<typeof normalizeResource>): Observation[] {
  if (!result.ok) throw result.error;
  return result.observations;
}

export const NO_CLUSTER: Scope = { cluster: "", environment: null };
export const STAGING: Scope = { cluster: "staging", environment: "staging" };

export const fromGit = (push: Obj): Incoming[] =>
  observations(normalizeGitPush(push, { event: "Push Hook" })).map((observation) => ({
    scope: NO_CLUSTER,
    observation,
  }));

export const fromHarbor = (hook: Obj): Incoming[] =>
  observations(normalizeHarborWebhook(hook)).map((observation) => ({
    scope: NO_CLUSTER,
    observation,
  }));

export const fromCluster = (scope: Scope, object: Obj): Incoming[] =>
  observations(normalizeResource(object)).map((observation) => ({ scope, observation, object }));

/** Release `i`'s raw objects: push, Build, Harbor push, promote PipelineRun and TaskRun, Application. */
export function releaseObjects(i: number, app = `app${i % 20}`) {
  const { sha, digest, manifests } = releaseKeys(i);
  const repo = `https://gitlab.example.com/shop/${app}`;

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
  const application = (name: string, uid: string, rv: string) => {
    const a = release.application(name, rv, [`harbor.example.com/shop/${app}@${digest}`]);
    a.metadata.uid = uid;
    for (const path of [
      a.status.sync,
      a.status.operationState.syncResult,
      a.status.operationState.operation.sync,
    ]) {
      path.revision = manifests;
    }
    return a;
  };
  return { app, sha, digest, manifests, push, build, harbor, pr, tr, application };
}

/** One release's events: push, Build (running, then succeeded), Harbor push, PipelineRun, TaskRun, Application. */
export function releaseEvents(i: number, app = `app${i % 20}`): Incoming[] {
  const o = releaseObjects(i, app);
  return [
    ...fromGit(o.push),
    ...fromCluster(STAGING, o.build(`${i * 10 + 1}`, false)),
    ...fromCluster(STAGING, o.build(`${i * 10 + 2}`, true)),
    ...fromHarbor(o.harbor),
    ...fromCluster(STAGING, o.pr),
    ...fromCluster(STAGING, o.tr),
    ...fromCluster(STAGING, o.application(`${app}-staging`, `application-${app}`, `${i * 10 + 5}`)),
  ];
}
