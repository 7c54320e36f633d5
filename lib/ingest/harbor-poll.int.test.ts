// The Harbor reconcile poll against the simulated Harbor over real HTTP and a real Postgres:
// what lands in `artifacts`, links to commits, failures that are logged and survived, and
// a poll over an unchanged registry that announces nothing.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarbor, type Harbor } from "@/sim/harbor";
import { truncateIngest, databasePerFile } from "@/test/database";
import * as release from "@/test/scenarios/release";
import { HarborClient } from "../harbor/client";
import { normalizeHarborWebhook, normalizeResource } from "../sources";
import { pollHarborOnce, startHarborPoll, type HarborPollOptions } from "./harbor-poll";
import { ingest } from "./store";

const HARBOR_SCOPE = { cluster: "", environment: null };

let harbor: Harbor;

type Entry = { level: string; fields: Record<string, unknown>; message: string };

function recorder() {
  const entries: Entry[] = [];
  const at = (level: string) => (fields: object, message: string) =>
    void entries.push({ level, fields: fields as Record<string, unknown>, message });
  return {
    entries,
    errors: () => entries.filter((e) => e.level === "error"),
    log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
  };
}

function clientFor(url: string, password = "Harbor12345") {
  return new HarborClient({ url, username: "admin", password, timeoutMs: 2000 });
}

function options(overrides: Partial<HarborPollOptions> = {}) {
  const logs = recorder();
  return {
    logs,
    options: { client: clientFor(harbor.url), pool: db.pool, log: logs.log, ...overrides },
  };
}

async function count(table: "events" | "artifacts" | "links"): Promise<number> {
  return Number((await db.pool.query(`select count(*) as n from ${table}`)).rows[0].n);
}

/** The kpack Build of release.SHA that produced release.DIGEST, as the watchers store it. */
async function ingestBuild(): Promise<void> {
  const build = release.build();
  const normalized = normalizeResource(build);
  if (!normalized.ok) throw normalized.error;
  const scope = { cluster: "staging", environment: "staging" };
  await ingest(
    db.pool,
    normalized.observations.map((observation) => ({ scope, observation, object: build })),
  );
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const db = databasePerFile(4);
beforeEach(async () => {
  await truncateIngest(db.pool);
  harbor = await createHarbor({ registry: "harbor.example.com", projects: [{ name: "shop" }] });
});
afterEach(async () => {
  await harbor.close();
});

describe("Harbor poll", () => {
  it("stores a pushed artifact with its tags and completed scan", async () => {
    const pushed = harbor.pushArtifact({
      project: "shop",
      repository: "payments",
      tags: ["1.4.0", "latest"],
    });
    harbor.completeScan({
      project: "shop",
      repository: "payments",
      digest: pushed.digest,
      counts: { critical: 0, high: 2, medium: 1, low: 3, unknown: 0 },
      fixable: 2,
    });
    const { options: poll, logs } = options();
    const run = await pollHarborOnce(poll);
    expect(run).toMatchObject({ artifacts: 1, errors: 0 });
    expect(logs.errors()).toEqual([]);
    const rows = await db.pool.query(
      `select registry, project, repository, digest, tags, pushed_at is not null as pushed,
              scan_status, severity, scan_summary->'counts' as counts, scanner from artifacts`,
    );
    expect(rows.rows).toEqual([
      {
        registry: "harbor.example.com",
        project: "shop",
        repository: "shop/payments",
        digest: pushed.digest,
        tags: ["1.4.0", "latest"],
        pushed: true,
        scan_status: "succeeded",
        severity: "high",
        counts: { critical: 0, high: 2, medium: 1, low: 3, unknown: 0 },
        scanner: "Trivy",
      },
    ]);
  });

  it("reads a nested repository (team/app) and the revision its labels name", async () => {
    const pushed = harbor.pushArtifact({
      project: "shop",
      repository: "team/app",
      tag: "2.0.0",
      labels: { "org.opencontainers.image.revision": release.SHA },
    });
    const { options: poll } = options();
    expect(await pollHarborOnce(poll)).toMatchObject({ artifacts: 1, errors: 0 });
    const rows = await db.pool.query("select repository, digest, tags, revision from artifacts");
    expect(rows.rows).toEqual([
      {
        repository: "shop/team/app",
        digest: pushed.digest,
        tags: ["2.0.0"],
        revision: release.SHA,
      },
    ]);
  });

  it("walks every page of projects, repositories and artifacts", async () => {
    harbor.createProject({ name: "tools" });
    const digests = new Set<string>();
    for (const repository of ["a", "b", "c/d"])
      for (let i = 0; i < 5; i++)
        digests.add(harbor.pushArtifact({ project: "shop", repository, tag: `v${i}` }).digest);
    digests.add(harbor.pushArtifact({ project: "tools", repository: "kaniko" }).digest);
    const { options: poll } = options({ pageSize: 2, batchSize: 3 });
    expect(await pollHarborOnce(poll)).toMatchObject({ artifacts: 16, errors: 0 });
    const rows = await db.pool.query<{ digest: string }>("select digest from artifacts");
    expect(new Set(rows.rows.map((row) => row.digest))).toEqual(digests);
  });

  it("links an artifact to the commit whose kpack Build produced its digest", async () => {
    await ingestBuild();
    harbor.pushArtifact({
      project: "shop",
      repository: "payments",
      digest: release.DIGEST,
      tag: "1.4.0",
    });
    const { options: poll } = options();
    expect(await pollHarborOnce(poll)).toMatchObject({ artifacts: 1, commits: 1, errors: 0 });
    const links = await db.pool.query(
      `select c.sha, l.rule, l.evidence, a.repository from links l
         join commits c on c.id = l.from_id join artifacts a on a.id = l.to_id
        where l.to_type = 'artifact'`,
    );
    expect(links.rows).toEqual([
      { sha: release.SHA, rule: "digest", evidence: release.DIGEST, repository: "shop/payments" },
    ]);
    const commit = await db.pool.query("select stages from commits where sha = $1", [release.SHA]);
    expect(JSON.stringify(commit.rows[0].stages)).toContain("image");
  });

  it("writes no events when polling an unchanged registry again, and one when it changes", async () => {
    await ingestBuild();
    const selector = { project: "shop", repository: "payments", digest: release.DIGEST };
    harbor.pushArtifact({ ...selector, tag: "1.4.0" });
    harbor.completeScan({
      ...selector,
      counts: { critical: 0, high: 1, medium: 0, low: 0, unknown: 0 },
    });
    // Unscanned and linked to nothing; Harbor lists its tags unsorted (latest, 1), which must
    // still compare equal to the stored row next time.
    harbor.pushArtifact({ project: "shop", repository: "base", tags: ["1", "latest"] });
    const { options: poll } = options();

    await pollHarborOnce(poll);
    const events = await count("events");
    const updated = await db.pool.query("select id, updated_at from artifacts order by id");
    expect(events).toBeGreaterThan(0);

    expect(await pollHarborOnce(poll)).toMatchObject({ artifacts: 2, commits: 0, errors: 0 });
    expect(await count("events")).toBe(events);
    // Not even a write: the rows keep their updated_at.
    expect((await db.pool.query("select id, updated_at from artifacts order by id")).rows).toEqual(
      updated.rows,
    );

    harbor.pushArtifact({ ...selector, tag: "stable" });
    expect(await pollHarborOnce(poll)).toMatchObject({ commits: 1 });
    expect(await count("events")).toBe(events + 1);
  });

  it("settles after webhooks: the first poll may refine what they stored, the next is silent", async () => {
    await ingestBuild();
    const webhooks = [release.harborPush(), release.harborScan()];
    for (const body of webhooks) {
      const normalized = normalizeHarborWebhook(body);
      if (!normalized.ok) throw normalized.error;
      await ingest(
        db.pool,
        normalized.observations.map((observation) => ({ scope: HARBOR_SCOPE, observation })),
      );
    }
    const selector = { project: "shop", repository: "payments", digest: release.DIGEST };
    harbor.pushArtifact({ ...selector, tag: "1.4.0" });
    harbor.completeScan({
      ...selector,
      counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
    });
    const { options: poll } = options();
    const before = await count("events");
    await pollHarborOnce(poll);
    const events = await count("events");
    expect(events - before).toBeLessThanOrEqual(1);
    expect(await pollHarborOnce(poll)).toMatchObject({ artifacts: 1, commits: 0, errors: 0 });
    expect(await count("events")).toBe(events);
    expect(
      (
        await db.pool.query(
          "select repository, tags, commit_id is not null as linked from artifacts",
        )
      ).rows,
    ).toEqual([{ repository: "shop/payments", tags: ["1.4.0"], linked: true }]);
  });

  it("logs wrong credentials and stores nothing; the next run with the right ones works", async () => {
    harbor.pushArtifact({ project: "shop", repository: "payments", tag: "1.4.0" });
    const { options: wrong, logs } = options({ client: clientFor(harbor.url, "wrong") });
    expect(await pollHarborOnce(wrong)).toMatchObject({ artifacts: 0, errors: 1 });
    expect(logs.errors()).toHaveLength(1);
    expect(logs.errors()[0].fields).toMatchObject({ harbor: harbor.url });
    expect(String(logs.errors()[0].fields.err)).toMatch(/refused the credentials of "admin"/);
    expect(await count("artifacts")).toBe(0);

    const { options: right } = options();
    expect(await pollHarborOnce(right)).toMatchObject({ artifacts: 1, errors: 0 });
  });

  it("logs a failing repository with its name and goes on with the next", async () => {
    harbor.pushArtifact({ project: "shop", repository: "broken/app", tag: "1" });
    harbor.pushArtifact({ project: "shop", repository: "payments", tag: "1" });
    // Harbor's answer for one repository's artifacts fails; everything else passes through.
    const proxy = createServer((req, res) => {
      if (req.url?.includes("/repositories/broken%252Fapp/artifacts")) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "UNKNOWN", message: "storage unavailable" }] }));
        return;
      }
      const headers = { ...req.headers } as Record<string, string>;
      delete headers.host;
      void fetch(`${harbor.url}${req.url}`, { headers }).then(async (response) => {
        const link = response.headers.get("link");
        res.writeHead(response.status, {
          "content-type": response.headers.get("content-type") ?? "application/json",
          ...(link ? { link } : {}),
          "x-total-count": response.headers.get("x-total-count") ?? "",
        });
        res.end(await response.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const { options: poll, logs } = options({ client: clientFor(url) });
      expect(await pollHarborOnce(poll)).toMatchObject({ artifacts: 1, errors: 1 });
      expect(logs.errors().map((e) => [e.message, e.fields.project, e.fields.repository])).toEqual([
        ["polling a Harbor repository failed", "shop", "shop/broken/app"],
      ]);
      expect(String(logs.errors()[0].fields.err)).toContain("storage unavailable");
      const rows = await db.pool.query("select repository from artifacts");
      expect(rows.rows).toEqual([{ repository: "shop/payments" }]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe("startHarborPoll", () => {
  it("polls at start and on its timer, survives Harbor being down, and stops", async () => {
    // Harbor is down at first: its port is free until the simulator comes back on it.
    const port = Number(new URL(harbor.url).port);
    await harbor.close();
    const { options: poll, logs } = options({ client: clientFor(`http://127.0.0.1:${port}`) });
    const running = startHarborPoll({ ...poll, intervalMs: 30 });
    try {
      await waitFor(() => (running.lastRun()?.errors ?? 0) > 0);
      expect(String(logs.errors()[0].fields.err)).toMatch(/unreachable.*ECONNREFUSED/);
      const failedRuns = logs.errors().length;
      await waitFor(() => logs.errors().length > failedRuns); // the timer went on

      harbor = await createHarbor({ port, registry: "harbor.example.com" });
      harbor.pushArtifact({ project: "shop", repository: "payments", tag: "1.4.0" });
      await waitFor(
        async () => running.lastRun()?.errors === 0 && (await count("artifacts")) === 1,
      );
      expect(running.lastRun()).toMatchObject({ artifacts: 1, errors: 0 });
    } finally {
      await running.stop();
    }
    const last = running.lastRun();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running.lastRun()).toBe(last);
  });
});
