// What the catalog's Tasks do when their steps run: parse Harbor's event, commit the new digest to
// the manifests repo (git-cli), sync an Argo CD Application and wait for it, run the E2E suite.
import { PIPELINE_BOT } from "../scenario/data";
import type { TaskImpl, TaskScope } from "./tekton-task-types";
import { manifestsFile } from "./argocd-objects";
import { e2eOutcome } from "./verify";

const parseHarborEvent: TaskImpl = async (s) => {
  let digest = "";
  let image = "";
  await s.step("parse", (log) => {
    try {
      const event = JSON.parse(String(s.params.event)) as {
        type?: string;
        event_data?: { resources?: Array<{ digest?: string; resource_url?: string }> };
      };
      const res = event.event_data?.resources?.[0];
      digest = res?.digest ?? "";
      const url = res?.resource_url ?? "";
      const repo = url.includes("@") ? url.split("@")[0] : url.replace(/:[^/:]+$/, "");
      image = `${repo}@${digest}`;
      log(`event type: ${event.type}`);
      log(`resource_url: ${url}`);
      log(`digest: ${digest}`);
      return digest.startsWith("sha256:") ? 0 : 1;
    } catch (err) {
      log(`jq: error (at <stdin>:0): ${String(err)}`);
      return 5;
    }
  });
  s.result("digest", digest);
  s.result("image", image);
};

/** Runs GIT_SCRIPT's effect: the app/env kustomization now pins the image; pushes to main. */
const gitCli: TaskImpl = async (s) => {
  const script = String(s.params.GIT_SCRIPT ?? "");
  const where = /cd ([\w-]+)\/([\w-]+) &&/.exec(script);
  const image = /set image (\S+)/.exec(script)?.[1] ?? "";
  const repoUrl = /git clone (\S+)/.exec(script)?.[1] ?? s.ctx.config.manifestsRepo;
  let sha = "";
  await s.step("git", (log) => {
    if (!where || !image.includes("@sha256:")) {
      log("error: nothing to commit (could not resolve the image)");
      return 1;
    }
    const [, app, env] = where;
    const digest = image.split("@")[1];
    const { ctx } = s;
    const previous = [...ctx.ledger.manifests.values()].filter(
      (m) => m.app === app && m.environment === env && m.digest === digest,
    ).length;
    const path = `${app}/${env}/kustomization.yaml`;
    const parent = ctx.git.head(repoUrl);
    const commit = ctx.git.commit(repoUrl, {
      sha: ctx.seed.sha("manifests", app, env, digest, previous),
      title: `promote ${app} to ${env}: ${digest}`,
      message: `promote ${app} to ${env}: ${digest}`,
      author: PIPELINE_BOT,
      modified: [path],
      files: { [path]: manifestsFile(image) },
    });
    sha = commit.sha;
    ctx.ledger.addManifests({ sha, app, environment: env, digest });
    log(`Cloning into 'manifests'...`);
    log(`[main ${sha.slice(0, 7)}] promote ${app} to ${env}: ${digest}`);
    log(" 1 file changed, 1 insertion(+), 1 deletion(-)");
    log(`To ${repoUrl}.git`);
    log(`   ${parent?.sha.slice(0, 7) ?? "0000000"}..${sha.slice(0, 7)}  main -> main`);
    return 0;
  });
  s.result("commit", sha);
};

/** argocd app sync <app> --revision <rev> && argocd app wait <app> --health. */
const argocdSync: TaskImpl = async (s) => {
  const app = String(s.params["application-name"] ?? "");
  const revision = String(s.params.revision ?? "HEAD");
  const argocd = s.ctx.argocd[s.cluster];
  await s.step("login", (log) => {
    log(`'admin:login' logged in successfully`);
    log(`Context 'argocd-server.argocd.svc' updated`);
    return 0;
  });
  await s.step("sync", async (log) => {
    if (!argocd) {
      log("FATAL: no Argo CD in this cluster");
      return 20;
    }
    for (let attempt = 1; ; attempt++) {
      const res = argocd.requestSync(app, { revision, username: "tekton-pipeline" });
      if (res.ok) break;
      log(
        `time="${new Date().toISOString()}" level=fatal msg="rpc error: code = FailedPrecondition desc = ${res.message}"`,
      );
      if (attempt >= 10) return 20;
      await s.ctx.scheduler.sleep(s.ctx.config.durations.syncRunning);
    }
    const outcome = await argocd.waitForSync(app, revision);
    log(`Name:               argocd/${app}`);
    log(`Sync Revision:      ${revision}`);
    log(`Phase:              ${outcome.phase}`);
    log(`Message:            ${outcome.message}`);
    log(`Health Status:      ${outcome.health}`);
    return outcome.phase === "Succeeded" && outcome.health === "Healthy" ? 0 : 20;
  });
};

const seleniumE2e: TaskImpl = async (s: TaskScope) => {
  const labels = s.taskRun.metadata.labels ?? {};
  const app = labels["shiplog.dev/app"] ?? "app";
  const env = labels["shiplog.dev/environment"] ?? "staging";
  const image = String(s.params.image ?? "");
  const outcome = e2eOutcome(s.ctx, app, env, image);
  await s.step("wait-for-rollout", (log) => {
    log(
      `Waiting for deployment "${app}" rollout to finish: 1 of 2 updated replicas are available...`,
    );
    log(`deployment "${app}" successfully rolled out`);
    return 0;
  });
  s.result("passed", String(outcome.passed.length));
  s.result("failed", String(outcome.failed.length));
  await s.step("run-tests", (log) => {
    log(
      `Running ${outcome.passed.length + outcome.failed.length} tests against ${String(s.params["base-url"])}`,
    );
    for (const t of outcome.passed) log(`  ✓ ${t}`);
    for (const t of outcome.failed) {
      log(`  ✗ ${t}`);
      log(
        `    NoSuchElementException: no such element: Unable to locate element: {"method":"css selector","selector":"[data-test=submit]"}`,
      );
    }
    log(`${outcome.passed.length} passing, ${outcome.failed.length} failing`);
    return outcome.failed.length > 0 ? 1 : 0;
  });
};

export const TASK_IMPLS: Record<string, TaskImpl> = {
  "parse-harbor-event": parseHarborEvent,
  "git-cli": gitCli,
  "argocd-task-sync-and-wait": argocdSync,
  "selenium-e2e": seleniumE2e,
};
