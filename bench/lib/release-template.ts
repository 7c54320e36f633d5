// One release as its watchers deliver it, in four outcomes: the templates the read benchmark
// ingests for real and then clones in bulk. Resource versions are `${i}<digits>`, so replacing the
// release number in the stored text keeps every key, name and version unique per clone.
import type { Incoming, Scope } from "../../lib/ingest/store";
import * as release from "../../test/scenarios/release";
import { STAGING, fromCluster, fromGit, fromHarbor, releaseObjects } from "./synthetic";

export const OUTCOMES = ["succeeded", "deploy-failed", "build-failed", "running"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const PRODUCTION: Scope = { cluster: "production", environment: "production" };

/** Batches in delivery order (each its own ingest call, so transitions accrue as in a cluster). */
export function releaseFacts(i: number, app: string, outcome: Outcome): Incoming[][] {
  const o = releaseObjects(i, app);
  const rv = (suffix: string) => `${i}${suffix}`;
  const failedBuild = o.build(rv("2"), true);
  if (outcome === "build-failed") {
    failedBuild.status = {
      conditions: [
        {
          type: "Succeeded",
          status: "False",
          reason: "BuildFailed",
          message: "step build exited 1",
          lastTransitionTime: "2026-11-25T10:02:00Z",
        },
      ],
      stepsCompleted: ["prepare", "detect", "analyze", "restore"],
    };
    delete failedBuild.status.latestImage;
    return [
      fromGit(o.push),
      fromCluster(STAGING, o.build(rv("1"), false)),
      fromCluster(STAGING, failedBuild),
    ];
  }

  const scan = release.harborScan();
  const scanned = scan.event_data.resources[0];
  scanned.digest = o.digest;
  scanned.resource_url = `harbor.example.com/shop/${app}@${o.digest}`;
  scan.event_data.repository = o.harbor.event_data.repository;

  const prName = o.pr.metadata.name as string;
  o.pr.status.childReferences = ["parse", "git-cli"].map((task) => ({
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    name: `${prName}-${task}`,
    pipelineTaskName: task,
  }));
  const prRunning = structuredClone(o.pr);
  prRunning.metadata.resourceVersion = rv("3");
  prRunning.status.conditions = [{ type: "Succeeded", status: "Unknown", reason: "Running" }];
  delete prRunning.status.completionTime;
  o.pr.metadata.resourceVersion = rv("6");

  const parse = structuredClone(o.tr);
  parse.metadata.name = `${prName}-parse`;
  parse.metadata.uid = `trp-${i}`;
  parse.metadata.resourceVersion = rv("7");
  parse.metadata.labels["tekton.dev/pipelineTask"] = "parse";
  parse.status.results = [];

  const deploy = (scope: Scope, env: string, versions: [string, string], health: string) => {
    const uid = env === "staging" ? `application-${app}` : `application-${app}-${env}`;
    const progressing = o.application(`${app}-${env}`, uid, rv(versions[0]));
    progressing.status.health = { status: "Progressing" };
    const settled = o.application(`${app}-${env}`, uid, rv(versions[1]));
    settled.status.health = { status: health };
    return [fromCluster(scope, progressing), fromCluster(scope, settled)];
  };
  const started = [
    fromGit(o.push),
    fromCluster(STAGING, o.build(rv("1"), false)),
    fromCluster(STAGING, o.build(rv("2"), true)),
    fromHarbor(o.harbor),
    fromHarbor(scan),
    fromCluster(STAGING, prRunning),
  ];
  // Still in its promote pipeline: the newest commits of each app.
  if (outcome === "running") return started;
  return [
    ...started,
    fromCluster(STAGING, parse),
    fromCluster(STAGING, o.tr),
    fromCluster(STAGING, o.pr),
    ...deploy(STAGING, "staging", ["5", "8"], "Healthy"),
    ...deploy(
      PRODUCTION,
      "production",
      ["9", "90"],
      outcome === "deploy-failed" ? "Degraded" : "Healthy",
    ),
  ];
}
