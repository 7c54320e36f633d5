import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { loadJson } from "@/test/reference-fixtures";
import { truncateIngest, databasePerFile } from "@/test/database";
import * as release from "@/test/scenarios/release";
import { ingest } from "./store";
import { receiveGit, receiveHarbor, WEBHOOK_LIMIT_BYTES, type WebhookOutcome } from "./webhooks";

const save = (batch: Parameters<typeof ingest>[1]) => ingest(db.pool, batch);

const db = databasePerFile(2);
beforeEach(async () => {
  await truncateIngest(db.pool);
});

async function rows(): Promise<number> {
  const result = await db.pool.query<{ n: bigint }>(
    "select (select count(*) from apps) + (select count(*) from commits) + (select count(*) from artifacts) + (select count(*) from events) as n",
  );
  return Number(result.rows[0].n);
}

function post(body: string, headers: Record<string, string>): Request {
  return new Request("http://shiplog.test/api/webhooks/x", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** The HTTP status a route would answer: the outcome's, or the typed error's. */
async function status(work: Promise<WebhookOutcome>): Promise<number> {
  try {
    return (await work).status;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
}

describe("Harbor webhook", () => {
  const secret = "Bearer harbor-hook-secret";
  const push = JSON.stringify(release.harborPush());

  it("stores a push whose Authorization matches", async () => {
    const outcome = await receiveHarbor(post(push, { authorization: secret }), secret, save);
    expect(outcome).toEqual({ status: 200, body: { stored: 1 } });
    const artifact = await db.pool.query("select repository, digest, tags from artifacts");
    expect(artifact.rows).toEqual([
      { repository: "shop/payments", digest: release.DIGEST, tags: ["1.4.0"] },
    ]);
  });

  it.each([
    ["no Authorization", {}, 401],
    ["a wrong Authorization", { authorization: "Bearer nope" }, 401],
    [
      "a secret differing in the last character",
      { authorization: "Bearer harbor-hook-secreT" },
      401,
    ],
  ])("answers %s with 401 and stores nothing", async (_name, headers, expected) => {
    expect(await status(receiveHarbor(post(push, headers), secret, save))).toBe(expected);
    expect(await rows()).toBe(0);
  });

  it("refuses everything while no secret is configured", async () => {
    expect(await status(receiveHarbor(post(push, { authorization: "" }), undefined, save))).toBe(
      401,
    );
  });

  it("answers malformed JSON with 400 and stores nothing", async () => {
    expect(
      await status(
        receiveHarbor(post('{"type": "PUSH_ARTIFACT", ', { authorization: secret }), secret, save),
      ),
    ).toBe(400);
    expect(await rows()).toBe(0);
  });

  it("answers a body that is not a Harbor event with 400 naming the problem", async () => {
    const body = JSON.stringify({ type: "PUSH_ARTIFACT", event_data: { resources: "none" } });
    await expect(
      receiveHarbor(post(body, { authorization: secret }), secret, save),
    ).rejects.toThrow(/event_data/);
    expect(await rows()).toBe(0);
  });

  it("answers an oversize body with 413, whether declared or streamed", async () => {
    const big = JSON.stringify({
      ...release.harborPush(),
      padding: "x".repeat(WEBHOOK_LIMIT_BYTES),
    });
    expect(await status(receiveHarbor(post(big, { authorization: secret }), secret, save))).toBe(
      413,
    );
    const streamed = new Request("http://shiplog.test/", {
      method: "POST",
      headers: { authorization: secret },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++)
            controller.enqueue(new TextEncoder().encode("x".repeat(64 * 1024)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(await status(receiveHarbor(streamed, secret, save))).toBe(413);
    expect(await rows()).toBe(0);
  });

  it("answers events it does not record with 202", async () => {
    const pull = JSON.stringify(loadJson("harbor/webhook-pull-artifact-default.json"));
    const outcome = await receiveHarbor(post(pull, { authorization: secret }), secret, save);
    expect(outcome.status).toBe(202);
    expect(await rows()).toBe(0);
  });

  it("stores a scan result on the artifact", async () => {
    await receiveHarbor(
      post(JSON.stringify(release.harborScan()), { authorization: secret }),
      secret,
      save,
    );
    const artifact = await db.pool.query(
      "select scan_status, severity, scan_summary->'counts' as counts from artifacts",
    );
    expect(artifact.rows[0].scan_status).toBe("succeeded");
    expect(artifact.rows[0].counts).toEqual(
      expect.objectContaining({ critical: expect.any(Number), high: expect.any(Number) }),
    );
  });
});

describe("Git webhook", () => {
  const secret = "git-hook-secret";
  const body = JSON.stringify(release.gitPush());

  it("stores a GitLab push with the right X-Gitlab-Token", async () => {
    const outcome = await receiveGit(
      post(body, { "x-gitlab-token": secret, "x-gitlab-event": "Push Hook" }),
      secret,
      save,
    );
    expect(outcome.status).toBe(200);
    const commits = await db.pool.query(
      "select sha, author, message from commits order by committed_at",
    );
    expect(commits.rows.map((row) => row.sha)).toContain(release.SHA);
  });

  it("stores a GitHub push whose body carries a valid signature", async () => {
    const github = JSON.stringify(loadJson("git/github-push.json"));
    const signature = `sha256=${createHmac("sha256", secret).update(github).digest("hex")}`;
    const outcome = await receiveGit(
      post(github, { "x-hub-signature-256": signature, "x-github-event": "push" }),
      secret,
      save,
    );
    expect(outcome.status).toBe(200);
    expect(await rows()).toBeGreaterThan(0);
  });

  it.each([
    ["no token or signature", {}],
    ["a wrong GitLab token", { "x-gitlab-token": "guess" }],
    [
      "a GitHub signature of another body",
      {
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update("{}").digest("hex")}`,
      },
    ],
    [
      "a GitHub signature made with another secret",
      {
        "x-hub-signature-256": `sha256=${createHmac("sha256", "other").update(body).digest("hex")}`,
      },
    ],
  ])("answers %s with 401 and stores nothing", async (_name, headers) => {
    expect(await status(receiveGit(post(body, headers), secret, save))).toBe(401);
    expect(await rows()).toBe(0);
  });

  it("answers a tag push with 202", async () => {
    const tagPush = {
      ...release.gitPush(),
      ref: "refs/tags/v1.4.0",
      object_kind: "tag_push",
      event_name: "tag_push",
    };
    const outcome = await receiveGit(
      post(JSON.stringify(tagPush), {
        "x-gitlab-token": secret,
        "x-gitlab-event": "Tag Push Hook",
      }),
      secret,
      save,
    );
    expect(outcome.status).toBe(202);
    expect(await rows()).toBe(0);
  });
});
