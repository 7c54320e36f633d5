import { describe, expect, it } from "vitest";
import { announceGate, type GateRecord } from "@/lib/gates/store";
import { ingest } from "@/lib/ingest/store";
import { startTimelineKeeper } from "@/lib/ingest/timeline-keeper";
import { createHub } from "@/lib/realtime/hub";
import { databasePerFile, truncateIngest } from "@/test/database";
import * as release from "@/test/scenarios/release";
import { k8s, releaseDeliveries, staging } from "@/test/scenarios/release-deliveries";
import { listCommits, listCommitsBody } from "./commits";
import { readCommitTimeline } from "./timeline";

const db = databasePerFile(4);
const links = { harbor: "https://harbor.example.com", argocd: "https://argocd.example.com" };
const quiet = { info() {}, warn() {} };

async function released() {
  await truncateIngest(db.pool);
  for (const delivery of releaseDeliveries()) await ingest(db.pool, delivery);
}

/** The stored row of the release's commit, and the commit's current generation. */
async function stored() {
  const { rows } = await db.pool.query<{ gen: bigint; body: string; current: bigint }>(
    `select t.gen, t.body, c.timeline_gen as current
       from commits c left join commit_timelines t on t.commit_id = c.id where c.sha = $1`,
    [release.SHA],
  );
  return rows[0];
}

/** The PipelineRun again, newer, now failed. */
function failedPipelineRun() {
  const run = release.pipelineRun("299");
  run.status.conditions = [
    {
      type: "Succeeded",
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0",
      lastTransitionTime: "2026-11-25T10:20:00Z",
    },
  ];
  return run;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("stored timelines", () => {
  it("stores a settled timeline at its first read and answers later reads with those bytes", async () => {
    await released();
    const first = await readCommitTimeline(release.SHA, null, db.pool, { links });
    expect(first.timeline?.status).toBe("succeeded");
    expect(first.body).toBe(JSON.stringify(first.timeline));
    const row = await stored();
    expect(row.gen).toBe(row.current);
    expect(row.body).toBe(first.body);

    const second = await readCommitTimeline(release.SHA.slice(0, 7), null, db.pool, { links });
    expect(second.timeline).toBeNull();
    expect(second.body).toBe(first.body);
  });

  it("serves nothing stored once the commit's rows change: the next read shows the change", async () => {
    await released();
    const before = await readCommitTimeline(release.SHA, null, db.pool, { links });
    expect(before.timeline?.stages.find((s) => s.stage === "pipeline")?.status).toBe("succeeded");
    const genBefore = (await stored()).current;

    await ingest(db.pool, k8s(staging, failedPipelineRun()));
    expect((await stored()).current).toBeGreaterThan(genBefore);
    const after = await readCommitTimeline(release.SHA, null, db.pool, { links });
    expect(after.timeline).not.toBeNull();
    expect(after.timeline?.stages.find((s) => s.stage === "pipeline")?.status).toBe("failed");
    expect(after.timeline?.status).toBe("failed");
    // Stored again, at the new generation.
    const row = await stored();
    expect(row.gen).toBe(row.current);
    expect(JSON.parse(row.body).status).toBe("failed");
  });

  it("serves nothing stored once a gate of the commit changes", async () => {
    await released();
    await readCommitTimeline(release.SHA, null, db.pool, { links });
    const gate = { id: "gate-1", app: "payments", sha: release.SHA } as GateRecord;
    await announceGate(db.pool, gate, "approved");
    const row = await stored();
    expect(row.current).toBeGreaterThan(row.gen);
    expect(
      (await readCommitTimeline(release.SHA, null, db.pool, { links })).timeline,
    ).not.toBeNull();
  });

  it("keeps no timeline with a stage in flight: its durations grow with the clock", async () => {
    await truncateIngest(db.pool);
    await ingest(db.pool, releaseDeliveries()[0]);
    await ingest(db.pool, k8s(staging, release.build("101", false)));
    const at = (iso: string) => ({ links, now: new Date(iso) });
    const early = await readCommitTimeline(release.SHA, null, db.pool, at("2026-11-25T10:01:00Z"));
    const late = await readCommitTimeline(release.SHA, null, db.pool, at("2026-11-25T10:02:00Z"));
    const build = (t: typeof early) => t.timeline?.stages.find((s) => s.stage === "build");
    expect(build(early)?.status).toBe("running");
    expect((build(late)?.durationMs ?? 0) - (build(early)?.durationMs ?? 0)).toBe(60_000);
    expect((await stored()).body).toBeNull();
  });

  it("assembles afresh for other deep-link settings, whose URLs differ", async () => {
    await released();
    const ours = await readCommitTimeline(release.SHA, null, db.pool, { links });
    const other = { ...links, harbor: "https://registry.example.org" };
    const theirs = await readCommitTimeline(release.SHA, null, db.pool, { links: other });
    expect(theirs.timeline).not.toBeNull();
    expect(theirs.body).not.toBe(ours.body);
    expect(theirs.body).toContain("https://registry.example.org");
  });

  it("answers a read even when its timeline cannot be stored", async () => {
    await released();
    await db.pool.query(
      "alter table commit_timelines add constraint refuse_all check (false) not valid",
    );
    try {
      const read = await readCommitTimeline(release.SHA, null, db.pool, { links });
      expect(read.timeline?.status).toBe("succeeded");
      expect((await stored()).body).toBeNull();
    } finally {
      await db.pool.query("alter table commit_timelines drop constraint refuse_all");
    }
  });

  it("never serves a timeline stored at an older generation", async () => {
    await released();
    await readCommitTimeline(release.SHA, null, db.pool, { links });
    // As if a read had assembled just before a change committed and stored after it.
    await db.pool.query(
      `update commit_timelines set body = '{"stale":true}', gen = gen - 1
        where commit_id = (select id from commits where sha = $1)`,
      [release.SHA],
    );
    const read = await readCommitTimeline(release.SHA, null, db.pool, { links });
    expect(read.timeline).not.toBeNull();
    expect(read.body).not.toContain("stale");
  });
});

describe("commit list items", () => {
  it("follow every change of what the list shows, and the API page is made of them", async () => {
    await released();
    const item = async () => (await listCommits({}, db.pool)).items[0];
    expect(await item()).toMatchObject({
      app: "payments",
      sha: release.SHA,
      shortSha: release.SHA.slice(0, 7),
      status: "succeeded",
      author: "GitLab dev user",
    });
    await ingest(db.pool, k8s(staging, failedPipelineRun()));
    expect(await item()).toMatchObject({ status: "failed" });
    expect((await item()).stages).toMatchObject({ build: "succeeded" });
    const body = JSON.parse(await listCommitsBody({}, db.pool));
    expect(body).toEqual(JSON.parse(JSON.stringify(await listCommits({}, db.pool))));
  });
});

describe("the timeline keeper", () => {
  it("stores what is missing at start, then each commit as it changes, and never one in flight", async () => {
    await released();
    const hub = createHub(db.pool, quiet, { retryMs: 100 });
    const keeper = startTimelineKeeper({ pool: db.pool, hub, log: quiet, links, delayMs: 20 });
    try {
      await keeper.idle();
      const initial = await stored();
      expect(initial.gen).toBe(initial.current);
      const read = await readCommitTimeline(release.SHA, null, db.pool, { links });
      expect(read.timeline).toBeNull();
      expect(read.body).toBe(initial.body);

      await ingest(db.pool, k8s(staging, failedPipelineRun()));
      await until(async () => {
        const row = await stored();
        return row.gen === row.current;
      });
      expect(JSON.parse((await stored()).body).status).toBe("failed");

      // A commit with a build still running: changed, but not kept.
      const running = release.build("150", false);
      running.metadata.name = "payments-build-2";
      running.metadata.uid = "uid-build-2";
      running.spec.source.git.revision = "0123456789abcdef0123456789abcdef01234567";
      await ingest(db.pool, k8s(staging, running));
      await keeper.idle();
      const { rows } = await db.pool.query(
        `select c.status, t.commit_id from commits c left join commit_timelines t on t.commit_id = c.id
          where c.sha = '0123456789abcdef0123456789abcdef01234567'`,
      );
      expect(rows).toEqual([{ status: "running", commit_id: null }]);
    } finally {
      await keeper.stop();
      await hub.close();
    }
  });
});
