import { describe, expect, it } from "vitest";
import type pg from "pg";
import { truncateIngest, databasePerFile } from "@/test/database";
import * as release from "@/test/scenarios/release";
import { k8s, releaseDeliveries, staging } from "@/test/scenarios/release-deliveries";
import { imageTagKeys } from "@/lib/timeline/correlate";
import { ingest, ingestInOrder } from "./store";

const facts = releaseDeliveries;

type Snapshot = {
  commit: {
    sha: string;
    app: string;
    author: string | null;
    message: string | null;
    status: string;
    stages: unknown;
  };
  links: string[];
  transitions: number;
  events: number;
};

async function snapshot(pool: pg.Pool): Promise<Snapshot> {
  const commit = await pool.query(
    `select c.sha, a.name as app, c.author, c.message, c.status, c.stages
       from commits c join apps a on a.id = c.app_id where c.sha = $1`,
    [release.SHA],
  );
  const links = await pool.query<{ line: string }>(
    `select coalesce(r.cluster || ' ' || r.kind || ' ' || r.name, 'harbor Artifact ' || a.repository) || ' ← ' || l.rule as line
       from links l left join resources r on l.to_type = 'resource' and r.id = l.to_id
       left join artifacts a on l.to_type = 'artifact' and a.id = l.to_id
      order by 1`,
  );
  const transitions = await pool.query<{ n: bigint }>("select count(*) as n from transitions");
  const events = await pool.query<{ n: bigint }>("select count(*) as n from events");
  return {
    commit: commit.rows[0],
    links: links.rows.map((row) => row.line),
    transitions: Number(transitions.rows[0].n),
    events: Number(events.rows[0].n),
  };
}

// The production Application follows the same manifests repo, but the staging promotion wrote
// that commit: moving to it deploys nothing new in production, so it is not this commit's deploy.
const expectedLinks = [
  "harbor Artifact shop/payments ← digest",
  "staging Application payments-staging ← manifests-revision",
  "staging Build payments-build-1 ← revision",
  "staging PipelineRun promote-payments-x7k2p ← digest",
  "staging TaskRun promote-payments-x7k2p-git-cli ← parent",
];

const db = databasePerFile(4);

async function reset() {
  await truncateIngest(db.pool);
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("ingest", () => {
  let inOrder: Snapshot;

  it("ties every fact of a release to its commit, each link with its rule", async () => {
    await reset();
    for (const delivery of facts()) await ingest(db.pool, delivery);
    inOrder = await snapshot(db.pool);
    expect(inOrder.links).toEqual(expectedLinks);
    expect(inOrder.commit).toMatchObject({
      sha: release.SHA,
      app: "payments",
      author: "GitLab dev user",
      status: "succeeded",
    });
    expect(inOrder.commit.message).toContain("fixed readme");
  });

  it.each([1, 2, 3, 4, 5])(
    "reaches the same timeline in shuffled order (seed %i)",
    async (seed) => {
      await reset();
      for (const delivery of shuffled(facts(), seed)) await ingest(db.pool, delivery);
      const result = await snapshot(db.pool);
      expect(result.links).toEqual(expectedLinks);
      expect(result.commit).toEqual(inOrder.commit);
    },
  );

  it("reaches the same timeline when everything arrives in one batch, backwards", async () => {
    await reset();
    await ingest(db.pool, facts().reverse().flat());
    const result = await snapshot(db.pool);
    expect(result.links).toEqual(expectedLinks);
    expect(result.commit).toEqual(inOrder.commit);
  });

  it("writes each resource of a batch once, already on its commit", async () => {
    await reset();
    await ingest(db.pool, facts().flat());
    // A row keeps the id of the command that wrote it within its transaction (cmin): had the
    // linker tied it to its commit by a later UPDATE, it would carry that later command's id.
    const { rows } = await db.pool.query<{ name: string; linked: boolean; writer: string }>(
      `select name, commit_id is not null as linked, xmin::text || '/' || cmin::text as writer
         from resources order by name`,
    );
    expect(rows.map(({ name, linked }) => [name, linked])).toEqual([
      ["payments-build-1", true],
      ["payments-production", false],
      ["payments-staging", true],
      ["promote-payments-x7k2p", true],
      ["promote-payments-x7k2p-git-cli", true],
    ]);
    expect(new Set(rows.map((row) => row.writer)).size).toBe(1);
  });

  it("merges several observations of one artifact in one batch as if they came one by one", async () => {
    const [, , push, scan] = facts();
    const artifacts = async () =>
      (
        await db.pool.query(
          `select registry, project, repository, digest, tags, pushed_at, scan_status, severity,
                  scan_summary, scanner, revision, commit_id, deleted_at
             from artifacts order by id`,
        )
      ).rows;
    await reset();
    for (const batch of [push, scan, push]) await ingest(db.pool, batch);
    const apart = await artifacts();
    expect(apart).toHaveLength(1);
    expect(apart[0]).toMatchObject({ repository: "shop/payments", scan_status: "succeeded" });
    await reset();
    await ingest(db.pool, [...push, ...scan, ...push]);
    expect(await artifacts()).toEqual(apart);
  });

  it("moves an Application to the commit whose pipeline wrote its manifests revision", async () => {
    // Commit A's image is what the Application runs (a tag link); then commit B's promote
    // pipeline turns out to have written the manifests revision it synced: stronger evidence.
    const SHA_B = "b".repeat(40);
    const DIGEST_B = "sha256:" + "b2".repeat(32);
    const buildB = release.build("301");
    buildB.metadata = { ...buildB.metadata, name: "payments-build-2", uid: "uid-build-2" };
    buildB.spec.source.git.revision = SHA_B;
    buildB.status.latestImage = `harbor.example.com/shop/payments@${DIGEST_B}`;
    const pushB = release.harborPush();
    pushB.event_data.resources[0] = {
      digest: DIGEST_B,
      tag: "1.5.0",
      resource_url: "harbor.example.com/shop/payments:1.5.0",
    };
    const runB = release.pipelineRun("302");
    runB.spec.params = [{ name: "harbor-event", value: JSON.stringify(pushB) }];
    const [push, buildA, harborA] = facts();
    const linksOf = async (name: string) =>
      (
        await db.pool.query<{ sha: string; rule: string }>(
          `select c.sha, l.rule from resources r join links l on l.to_type = 'resource' and l.to_id = r.id
             join commits c on c.id = l.from_id and c.id = r.commit_id where r.name = $1`,
          [name],
        )
      ).rows;
    await reset();
    for (const batch of [push, buildA, harborA]) await ingest(db.pool, batch);
    await ingest(
      db.pool,
      k8s(
        staging,
        release.application("payments-staging", "301", ["harbor.example.com/shop/payments:1.4.0"]),
      ),
    );
    expect(await linksOf("payments-staging")).toEqual([{ sha: release.SHA, rule: "tag" }]);
    const result = await ingest(db.pool, [
      ...k8s(staging, buildB),
      ...k8s(staging, runB),
      ...k8s(staging, release.gitCliTaskRun()),
    ]);
    expect(await linksOf("payments-staging")).toEqual([{ sha: SHA_B, rule: "manifests-revision" }]);
    const shas = await db.pool.query<{ sha: string }>(
      "select sha from commits where id = any($1::bigint[]) order by sha",
      [result.commits],
    );
    // Both timelines changed: A lost its deploy, B gained it.
    expect(shas.rows.map((row) => row.sha)).toEqual([SHA_B, release.SHA].sort());
  });

  it("changes nothing on duplicates", async () => {
    await reset();
    for (const delivery of facts()) await ingest(db.pool, delivery);
    const once = await snapshot(db.pool);
    for (const delivery of facts()) await ingest(db.pool, delivery);
    const twice = await snapshot(db.pool);
    expect(twice.links).toEqual(once.links);
    expect(twice.transitions).toBe(once.transitions);
    expect(twice.commit).toEqual(once.commit);
  });

  it("stores each object, its observation and keys exactly as sent, whatever characters they hold", async () => {
    await reset();
    // The promote PipelineRun carries Harbor's webhook body as a param: JSON inside JSON.
    const run = release.pipelineRun();
    run.metadata.annotations = {
      ...run.metadata.annotations,
      "shiplog.dev/note": 'tab\there, line\nbreak, back\\slash, \\N, \\., "quoted", ünïcödé ✓',
    };
    run.metadata.managedFields = [{ manager: "kubectl", operation: "Update" }];
    const [delivery] = k8s(staging, run);
    await ingest(db.pool, [delivery]);
    const stored = await db.pool.query(
      `select object, observation, digests, image_tags, manifests_revisions, status, reason,
              started_at, finished_at, parent_key, deleted_at from resources`,
    );
    const { managedFields: _, ...metadata } = run.metadata;
    const observation = delivery.observation;
    expect(stored.rows).toEqual([
      {
        object: { ...run, metadata },
        observation: JSON.parse(JSON.stringify(observation)),
        digests: observation.digests,
        image_tags: imageTagKeys(observation),
        manifests_revisions: observation.manifestsRevisions.map((rev) => rev.sha),
        status: observation.status,
        reason: observation.reason,
        started_at: new Date(observation.startedAt as string),
        finished_at: observation.finishedAt ? new Date(observation.finishedAt) : null,
        parent_key: null,
        deleted_at: null,
      },
    ]);
    expect(observation.digests.length).toBeGreaterThan(0);
    expect(JSON.stringify(run.spec)).toContain('\\"');
  });

  it("ignores a stale resourceVersion and records each status change once", async () => {
    await reset();
    await ingest(db.pool, k8s(staging, release.build("100", false)));
    await ingest(db.pool, k8s(staging, release.build("101", true)));
    const result = await ingest(db.pool, k8s(staging, release.build("99", false)));
    expect(result).toMatchObject({ written: 0, skipped: 1 });
    const rows = await db.pool.query(
      "select status, resource_version from resources where kind = 'Build'",
    );
    expect(rows.rows).toEqual([{ status: "succeeded", resource_version: "101" }]);
    const transitions = await db.pool.query("select status from transitions order by id");
    expect(transitions.rows.map((row) => row.status)).toEqual(["running", "succeeded"]);
  });

  it("writes a stream of batches in the order given, though a later one is staged sooner", async () => {
    await reset();
    // A large first batch (its objects take longer to stage) and a small second one with the
    // newer version of the same Build: in order, both statuses are recorded.
    const others = Array.from({ length: 300 }, (_, n) => {
      const build = release.build("100", false);
      build.metadata.name = `other-build-${n}`;
      build.metadata.uid = `uid-other-${n}`;
      return k8s(staging, build)[0];
    });
    const write = ingestInOrder(db.pool);
    const first = write([...others, ...k8s(staging, release.build("100", false))]);
    const second = write(k8s(staging, release.build("101", true)));
    await Promise.all([first, second]);
    const transitions = await db.pool.query(
      `select t.status from transitions t join resources r on r.id = t.resource_id
        where r.uid = 'uid-build-1' order by t.id`,
    );
    expect(transitions.rows.map((row) => row.status)).toEqual(["running", "succeeded"]);
  });

  it("does not hold up a stream when a batch fails before its turn", async () => {
    await reset();
    const write = ingestInOrder(db.pool);
    // An object JSON cannot encode: the batch fails before it is staged.
    const broken = k8s(staging, release.build()).map((input) => ({
      ...input,
      object: { ...(input.object as object), size: 1n },
    }));
    await expect(write(broken)).rejects.toThrow(/BigInt/);
    await expect(write(k8s(staging, release.build()))).resolves.toMatchObject({ written: 1 });
  });

  it("keeps a deleted object's history", async () => {
    await reset();
    await ingest(db.pool, k8s(staging, release.build()));
    await ingest(
      db.pool,
      k8s(staging, release.build()).map((input) => ({ ...input, deleted: true })),
    );
    const rows = await db.pool.query(
      "select status, deleted_at is not null as deleted from resources",
    );
    expect(rows.rows).toEqual([{ status: "succeeded", deleted: true }]);
  });

  it("announces each changed timeline as an event", async () => {
    await reset();
    const listener = await db.pool.connect();
    const notified: string[] = [];
    listener.on("notification", (message) => notified.push(message.payload ?? ""));
    await listener.query("listen shiplog_events");
    await ingest(db.pool, k8s(staging, release.build()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await listener.query("unlisten shiplog_events");
    listener.release();
    const events = await db.pool.query("select id, type, payload from events");
    expect(events.rows).toEqual([
      { id: 1n, type: "timeline", payload: { app: "payments", sha: release.SHA } },
    ]);
    expect(notified).toEqual(["1"]);
  });
});
