import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadInput, NotFound } from "@/lib/errors";
import { DIGEST, NOW, SHA } from "@/test/timeline-rows";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { createPrismaClient } from "./client";
import { createPool } from "./pool";
import { seedTimeline, type Seeded } from "@/test/seed";
import { getCommitTimeline } from "./timeline";

let database: TestDatabase;
let client: ReturnType<typeof createPrismaClient>;
let payments: Seeded;

const OTHER_SHA = "da15608aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const options = { now: NOW, links: {} };

beforeAll(async () => {
  database = await freshDatabase();
  client = createPrismaClient(database.url);
  payments = await seedTimeline(client, "payments");
  // A PipelineRun of the same name in another cluster, with a child: not this commit's.
  const app = await client.app.create({ data: { name: "ledger" } });
  await client.commit.create({ data: { appId: app.id, sha: OTHER_SHA, message: "other" } });
  await client.resource.create({
    data: {
      system: "tekton",
      kind: "TaskRun",
      cluster: "other",
      name: "release-x7k2p-git-clone",
      namespace: "ci",
      uid: "other-child",
      key: "tekton:TaskRun:ci/release-x7k2p-git-clone",
      parentKey: "tekton:PipelineRun:ci/release-x7k2p",
      object: {},
      observation: {},
      status: "failed",
    },
  });
});

afterAll(async () => {
  await client.$disconnect();
  await database.drop();
});

describe("getCommitTimeline", () => {
  it("assembles the stored rows: linked ones, and the unlinked children of its PipelineRuns", async () => {
    const t = await getCommitTimeline(SHA, null, client, options);
    const id = (n: number) => `resource-${payments.resources.get(n)}`;
    const art = payments.artifacts.get(1);
    expect(t).toMatchObject({ app: "payments", sha: SHA, status: "waiting", branch: "main" });
    expect(t.stages.map((s) => [s.id, s.stage, s.status])).toEqual([
      ["source", "source", "succeeded"],
      [id(1), "build", "failed"],
      [id(2), "build", "succeeded"],
      [`artifact-${art}-image`, "image", "succeeded"],
      [`artifact-${art}-scan`, "scan", "succeeded"],
      [id(4), "pipeline", "running"],
      [id(7), "approval", "waiting"],
      [id(9), "deploy", "succeeded"],
      [id(10), "verify", "succeeded"],
    ]);
    const pipeline = t.stages.find((s) => s.stage === "pipeline")!;
    expect(pipeline.details).toMatchObject({
      tasks: [
        { name: "git-clone", status: "succeeded", runName: "release-x7k2p-git-clone" },
        { name: "build", status: "succeeded", runName: "release-x7k2p-build" },
        { name: "approve-production", status: "waiting", kind: "CustomRun" },
      ],
    });
    // The ApprovalTask came through its parent key and merged into the gate's stage.
    expect(t.stages.find((s) => s.stage === "approval")).toMatchObject({
      resource: { kind: "ApprovalTask", name: "promote-approve" },
      linkedBy: "PipelineRun ci/release-x7k2p",
      details: { approvers: ["alice", "bob", "group:dev-team"] },
    });
    expect(t.stages.find((s) => s.stage === "image")).toMatchObject({
      title: "Image shop/payments/api-payments:b27.20240506.101530",
      linkedBy: `digest ${DIGEST.slice(0, 14)}`,
      startedAt: "2024-05-06T10:15:42.123Z",
    });
    expect(t.stageStatuses).toEqual({
      build: "succeeded",
      image: "succeeded",
      scan: "succeeded",
      pipeline: "running",
      "approval:production": "waiting",
      "deploy:staging": "succeeded",
      "verify:staging": "succeeded",
    });
  });

  it("finds the commit by a 7-character prefix, in any case", async () => {
    const t = await getCommitTimeline("DA15608", "payments", client, options);
    expect(t.sha).toBe(SHA);
    expect((await getCommitTimeline(SHA.slice(0, 12), null, client, options)).sha).toBe(SHA);
  });

  it("an artifact linked by commit_id alone is on the timeline too", async () => {
    const extra = await client.artifact.create({
      data: {
        project: "shop",
        repository: "shop/payments/worker",
        digest: DIGEST,
        pushedAt: new Date("2024-05-06T10:15:50Z"),
        commitId: payments.commitId,
      },
    });
    const t = await getCommitTimeline(SHA, "payments", client, options);
    expect(t.stages.find((s) => s.id === `artifact-${extra.id}-image`)).toMatchObject({
      title: `Image shop/payments/worker@${DIGEST.slice(0, 14)}`,
      linkedBy: null,
    });
    expect(t.stages.some((s) => s.id === `artifact-${extra.id}-scan`)).toBe(false);
    await client.artifact.delete({ where: { id: extra.id } });
  });

  it("404s an unknown commit, and a known one asked for in another app", async () => {
    await expect(getCommitTimeline("0123456789abcdef", null, client, options)).rejects.toThrow(
      new NotFound("no commit 0123456789abcdef"),
    );
    await expect(getCommitTimeline(SHA, "ledger", client, options)).rejects.toThrow(
      new NotFound(`no commit ${SHA} in app ledger`),
    );
  });

  it("refuses what is not a SHA prefix", async () => {
    await expect(getCommitTimeline("da156", null, client, options)).rejects.toThrow(BadInput);
    await expect(getCommitTimeline("main", null, client, options)).rejects.toThrow(
      "sha must be 7 to 64 hexadecimal characters",
    );
  });

  it("asks for ?app= when a prefix matches commits of several apps", async () => {
    await expect(getCommitTimeline("da15608", null, client, options)).rejects.toThrow(
      new BadInput("commit da15608 matches commits of several apps (ledger, payments): add ?app="),
    );
    expect((await getCommitTimeline("da15608", "ledger", client, options)).sha).toBe(OTHER_SHA);
  });

  it("asks for more characters when a prefix matches several commits of one app", async () => {
    const app = await client.app.findUniqueOrThrow({ where: { name: "ledger" } });
    await client.commit.create({
      data: { appId: app.id, sha: "da15608bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
    });
    await expect(getCommitTimeline("da15608", "ledger", client, options)).rejects.toThrow(
      new BadInput("commit prefix da15608 matches 2 commits of ledger: give more characters"),
    );
    expect((await getCommitTimeline("da15608a", "ledger", client, options)).sha).toBe(OTHER_SHA);
    // A commit without any rows: no stages, unknown, no source stage without a commit time.
    expect(await getCommitTimeline("da15608b", "ledger", client, options)).toMatchObject({
      status: "unknown",
      stageStatuses: {},
      stages: [],
      committedAt: null,
    });
  });
});

describe("getCommitTimeline on the app's node-postgres pool", () => {
  it("reads the same timeline as through a Prisma client", async () => {
    const pool = createPool(database.url, 3);
    try {
      for (const [sha, app] of [
        [SHA, null],
        ["DA15608", "payments"],
        ["da15608a", "ledger"],
      ] as const) {
        expect(await getCommitTimeline(sha, app, pool, options)).toEqual(
          await getCommitTimeline(sha, app, client, options),
        );
      }
      await expect(getCommitTimeline("da15608", null, pool, options)).rejects.toThrow(BadInput);
    } finally {
      await pool.end();
    }
  });
});
