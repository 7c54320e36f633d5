import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createKubeApi, type KubeApi, type KubeObject } from "@/sim/kube";
import type { Obj } from "@/test/reference-fixtures";
import { createPool } from "../db/pool";
import { loadClusters } from "../k8s/kubeconfig";
import { normalizeGitPush } from "../sources";
import { freshDatabase, type TestDatabase } from "@/test/database";
import * as release from "@/test/scenarios/release";
import { ingest } from "./store";
import { startWatchers, type Watchers } from "./watchers";

let kube: KubeApi;
let database: TestDatabase;
let pool: pg.Pool;
let watchers: Watchers;
const logged: { level: string; message: string; fields: object }[] = [];
const log = {
  info: (fields: object, message: string) => logged.push({ level: "info", message, fields }),
  warn: (fields: object, message: string) => logged.push({ level: "warn", message, fields }),
  error: (fields: object, message: string) => logged.push({ level: "error", message, fields }),
};

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

/** As a client creates it: the server assigns uid, resourceVersion and creationTimestamp. */
function fresh(object: Obj): KubeObject {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _created,
    ...metadata
  } = object.metadata;
  return { ...object, metadata } as KubeObject;
}

const linkedKinds = async () =>
  (
    await pool.query<{ line: string }>(
      `select r.cluster || ' ' || r.kind || ' ' || r.name || ' ' || r.status as line
         from resources r where r.commit_id is not null order by 1`,
    )
  ).rows.map((row) => row.line);

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "shiplog-watch-"));
  kube = await createKubeApi({ dir, historyWindow: 50, bookmarkIntervalMs: 1000 });
  const kubeconfig = await kube.writeKubeconfig(path.join(dir, "kubeconfig"));
  database = await freshDatabase();
  pool = createPool(database.url, 4);
  const clusters = loadClusters({
    kubeconfig,
    contexts: [
      { context: "staging", environment: "staging" },
      { context: "production", environment: "production" },
    ],
  });
  watchers = startWatchers({ clusters, namespaces: [], pool, log, batchMs: 10 });
  const push = normalizeGitPush(release.gitPush(), { event: "Push Hook" });
  if (!push.ok) throw push.error;
  await ingest(
    pool,
    push.observations.map((observation) => ({
      scope: { cluster: "", environment: null },
      observation,
    })),
  );
});

afterAll(async () => {
  await watchers?.stop();
  await pool?.end();
  await database?.drop();
  await kube?.close();
});

describe("watchers", () => {
  it("watch every kind in both clusters", async () => {
    const status = await eventually(
      async () => watchers.status(),
      (all) => all.every((w) => w.state === "watching"),
    );
    expect(status.map((w) => `${w.cluster}/${w.kind}`)).toEqual([
      ...[
        "Build",
        "Image",
        "PipelineRun",
        "TaskRun",
        "CustomRun",
        "ApprovalTask",
        "Application",
      ].map((k) => `staging/${k}`),
      ...[
        "Build",
        "Image",
        "PipelineRun",
        "TaskRun",
        "CustomRun",
        "ApprovalTask",
        "Application",
      ].map((k) => `production/${k}`),
    ]);
  });

  it("store what the clusters report and tie it to the commit", async () => {
    const staging = kube.clusters.staging;
    const production = kube.clusters.production;
    await staging.create(fresh(release.build()), { keepStatus: true });
    await staging.create(fresh(release.pipelineRun()), { keepStatus: true });
    await staging.create(fresh(release.gitCliTaskRun()), { keepStatus: true });
    await staging.create(fresh(release.application("payments-staging", "1", [])), {
      keepStatus: true,
    });
    await production.create(fresh(release.application("payments-production", "1", [])), {
      keepStatus: true,
    });
    const lines = await eventually(linkedKinds, (l) => l.length === 4);
    expect(lines).toEqual([
      "staging Application payments-staging succeeded",
      "staging Build payments-build-1 succeeded",
      "staging PipelineRun promote-payments-x7k2p succeeded",
      "staging TaskRun promote-payments-x7k2p-git-cli succeeded",
    ]);
    // Stored with the environment of its cluster, though no commit of this run deployed there.
    const environments = await pool.query(
      "select cluster, environment from resources where kind = 'Application' order by cluster",
    );
    expect(environments.rows).toEqual([
      { cluster: "production", environment: "production" },
      { cluster: "staging", environment: "staging" },
    ]);
  });

  it("follow a status change", async () => {
    const staging = kube.clusters.staging;
    const build = (await staging.get(
      "builds.kpack.io",
      "apps",
      "payments-build-1",
    )) as Obj as KubeObject & Obj;
    build.status.conditions = [
      {
        type: "Succeeded",
        status: "False",
        reason: "BuildFailed",
        lastTransitionTime: "2026-11-25T10:05:00Z",
      },
    ];
    await staging.updateStatus(build);
    await eventually(linkedKinds, (l) => l.includes("staging Build payments-build-1 failed"));
    const transitions = await pool.query(
      "select t.status from transitions t join resources r on r.id = t.resource_id where r.kind = 'Build' order by t.id",
    );
    expect(transitions.rows.map((row) => row.status)).toEqual(["succeeded", "failed"]);
  });

  it("recover from dropped watches and from a compacted history (410 Gone)", async () => {
    const staging = kube.clusters.staging;
    kube.faults.dropWatches({});
    const second = release.build("1", true);
    second.metadata.name = "payments-build-2";
    second.metadata.uid = "uid-build-2";
    await staging.create(fresh(second), { keepStatus: true });
    await eventually(linkedKinds, (l) => l.some((line) => line.includes("payments-build-2")));

    kube.faults.compact();
    kube.faults.dropWatches({ abrupt: true });
    const third = release.build("1", true);
    third.metadata.name = "payments-build-3";
    third.metadata.uid = "uid-build-3";
    await staging.create(fresh(third), { keepStatus: true });
    await eventually(linkedKinds, (l) => l.some((line) => line.includes("payments-build-3")));
  });

  it("resume after the API failed requests for a while", async () => {
    kube.faults.failNext(20, { mode: "error", cluster: "staging" });
    kube.faults.dropWatches({ cluster: "staging" });
    const fourth = release.build("1", true);
    fourth.metadata.name = "payments-build-4";
    fourth.metadata.uid = "uid-build-4";
    await kube.clusters.staging.create(fresh(fourth), { keepStatus: true });
    await eventually(
      linkedKinds,
      (l) => l.some((line) => line.includes("payments-build-4")),
      30_000,
    );
    expect(logged.some((entry) => entry.message === "watch interrupted; restarting")).toBe(true);
  });
});
