import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeApplication } from "@/lib/sources/argocd";
import type { DeployDetails, Observation } from "@/lib/sources/types";
import { application, DIGEST } from "@/test/timeline-rows";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { createPrismaClient } from "./client";
import { digestOf, listDeployments } from "./deployments";
import type { Prisma } from "./generated/client";

let database: TestDatabase;
let client: ReturnType<typeof createPrismaClient>;

const sha = (c: string) => c.repeat(40);
const OTHER_DIGEST = `sha256:${"7".repeat(64)}`;
const commitIds = new Map<string, bigint>();

/** The real Application fixture, normalized, as Argo CD reported it at one revision. */
function observed(
  name: string,
  revision: string,
  change: Partial<DeployDetails>,
): { observation: Observation; status: string } {
  const raw = application();
  raw.metadata.name = name;
  const result = normalizeApplication(raw);
  if (!result.ok) throw new Error("fixture does not normalize");
  const obs = structuredClone(result.observations[0]);
  Object.assign(obs.details as DeployDetails, { revision, ...change });
  return { observation: obs, status: obs.status };
}

async function applicationRow(options: {
  cluster: string;
  environment: string;
  name: string;
  revision: string;
  resourceVersion: string;
  commit: string | null;
  status?: string;
  details?: Partial<DeployDetails>;
  finishedAt?: string;
  deleted?: boolean;
}) {
  const { observation, status } = observed(options.name, options.revision, options.details ?? {});
  await client.resource.create({
    data: {
      system: "argocd",
      kind: "Application",
      cluster: options.cluster,
      namespace: "argocd",
      name: options.name,
      uid: `${options.cluster}-${options.name}@${options.revision}`,
      key: `argocd:Application:argocd/${options.name}`,
      resourceVersion: options.resourceVersion,
      object: {} as Prisma.InputJsonValue,
      observation: observation as unknown as Prisma.InputJsonValue,
      stage: "deploy",
      status: options.status ?? status,
      environment: options.environment,
      startedAt: options.finishedAt ? new Date(Date.parse(options.finishedAt) - 60_000) : null,
      finishedAt: options.finishedAt ? new Date(options.finishedAt) : null,
      commitId: options.commit ? commitIds.get(options.commit)! : null,
      deletedAt: options.deleted ? new Date() : null,
    },
  });
}

beforeAll(async () => {
  database = await freshDatabase();
  client = createPrismaClient(database.url);
  const payments = await client.app.create({ data: { name: "payments" } });
  const search = await client.app.create({ data: { name: "search" } });
  for (const [app, c] of [
    [payments.id, "a"],
    [payments.id, "b"],
    [search.id, "c"],
    [search.id, "d"],
  ] as const) {
    const row = await client.commit.create({ data: { appId: app, sha: sha(c) } });
    commitIds.set(c, row.id);
  }
  const images = (digest: string) => ({ images: [`harbor.example.com/shop/payments@${digest}`] });
  // payments in staging: a, then b; then the manifests head moved on for another app's commit
  // (a revision row of this Application that belongs to no payments commit), now Degraded.
  await applicationRow({
    cluster: "staging",
    environment: "staging",
    name: "payments-staging",
    revision: "1".repeat(40),
    resourceVersion: "100",
    commit: "a",
    details: images(OTHER_DIGEST),
    finishedAt: "2026-11-20T10:00:00Z",
  });
  await applicationRow({
    cluster: "staging",
    environment: "staging",
    name: "payments-staging",
    revision: "2".repeat(40),
    resourceVersion: "200",
    commit: "b",
    status: "succeeded",
    details: images(DIGEST),
    finishedAt: "2026-11-21T10:00:00Z",
  });
  await applicationRow({
    cluster: "staging",
    environment: "staging",
    name: "payments-staging",
    revision: "3".repeat(40),
    resourceVersion: "300",
    commit: null,
    details: { health: "Degraded", syncStatus: "Synced" },
  });
  // payments in production: a runs; b's sync failed, so a still runs.
  await applicationRow({
    cluster: "production",
    environment: "production",
    name: "payments-production",
    revision: "1".repeat(40),
    resourceVersion: "150",
    commit: "a",
    details: images(OTHER_DIGEST),
    finishedAt: "2026-11-20T11:00:00Z",
  });
  await applicationRow({
    cluster: "production",
    environment: "production",
    name: "payments-production",
    revision: "2".repeat(40),
    resourceVersion: "250",
    commit: "b",
    status: "failed",
    details: { operationPhase: "Failed", health: "Healthy", syncStatus: "OutOfSync" },
  });
  // search: d deployed to staging; the production Application was deleted from the cluster.
  await applicationRow({
    cluster: "staging",
    environment: "staging",
    name: "search-staging",
    revision: "4".repeat(40),
    resourceVersion: "400",
    commit: "d",
    finishedAt: "2026-11-22T10:00:00Z",
  });
  await applicationRow({
    cluster: "production",
    environment: "production",
    name: "search-production",
    revision: "4".repeat(40),
    resourceVersion: "410",
    commit: "c",
    deleted: true,
  });
});

afterAll(async () => {
  await client.$disconnect();
  await database.drop();
});

describe("listDeployments", () => {
  it("gives each Application's newest deployed commit with its current health, environments in order", async () => {
    const all = await listDeployments(null, client, ["staging", "production"]);
    expect(
      all.map((d) => [d.app, d.environment, d.application, d.shortSha, d.health, d.syncStatus]),
    ).toEqual([
      ["payments", "staging", "payments-staging", "bbbbbbb", "Degraded", "Synced"],
      ["payments", "production", "payments-production", "aaaaaaa", "Healthy", "OutOfSync"],
      ["search", "staging", "search-staging", "ddddddd", "Healthy", "Synced"],
    ]);
  });

  it("carries the commit, the digest Argo CD put live and since when", async () => {
    const [staging, production] = await listDeployments("payments", client, [
      "staging",
      "production",
    ]);
    expect(staging).toMatchObject({
      app: "payments",
      cluster: "staging",
      namespace: "argocd",
      sha: sha("b"),
      digest: DIGEST,
      since: "2026-11-21T10:00:00.000Z",
      status: "succeeded",
    });
    expect(production).toMatchObject({
      sha: sha("a"),
      digest: OTHER_DIGEST,
      since: "2026-11-20T11:00:00.000Z",
    });
  });

  it("filters by app, and answers an empty list for an unknown one", async () => {
    expect((await listDeployments("search", client)).map((d) => d.application)).toEqual([
      "search-staging",
    ]);
    expect(await listDeployments("nope", client)).toEqual([]);
  });
});

describe("digestOf", () => {
  it("reads the digest of the first pinned image", () => {
    expect(digestOf(["nginx:1.25", `harbor.example.com/shop/web@${DIGEST}`])).toBe(DIGEST);
    expect(digestOf(["nginx:1.25"])).toBeNull();
    expect(digestOf(null)).toBeNull();
  });
});
