import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizeGitPush } from "@/lib/sources/git";
import { AUTHORS } from "../scenario/data";
import { GitHost } from "./git";
import { gitlabPushHook } from "./git-hook";

const fixture = JSON.parse(
  readFileSync(new URL("../../test/fixtures/git/gitlab-push-hook.json", import.meta.url), "utf8"),
) as Record<string, Record<string, unknown>>;

function keys(o: unknown): string[] {
  return Object.keys(o as object).sort();
}

describe("gitlabPushHook", () => {
  const git = new GitHost({ now: () => new Date("2026-11-25T10:00:00Z"), log: () => {} });
  const repo = git.addRepo({
    url: "https://gitlab.example.com/shop/payments",
    description: "Payment service",
    projectId: 15,
    users: AUTHORS.map((a) => a.username),
  });
  const first = git.commit(repo.url, {
    sha: "a".repeat(40),
    title: "Initial",
    message: "Initial",
    author: AUTHORS[0],
  });
  const second = git.commit(repo.url, {
    sha: "b".repeat(40),
    title: "Fix refunds",
    message: "Fix refunds\n\nCloses #12",
    author: AUTHORS[1],
    modified: ["src/refunds.ts"],
  });
  const hook = gitlabPushHook(repo, first.sha, [second]);

  it("has GitLab's Push Hook shape (the fixture's keys)", () => {
    expect(keys(hook)).toEqual(keys(fixture));
    expect(keys(hook.project)).toEqual(keys(fixture.project));
    expect(keys(hook.repository)).toEqual(keys(fixture.repository));
    expect(keys(hook.commits[0])).toEqual(keys((fixture.commits as unknown as unknown[])[0]));
    expect(hook).toMatchObject({
      before: first.sha,
      after: second.sha,
      checkout_sha: second.sha,
      ref: "refs/heads/main",
      user_username: "jbecker",
      project: {
        web_url: "https://gitlab.example.com/shop/payments",
        git_http_url: "https://gitlab.example.com/shop/payments.git",
        path_with_namespace: "shop/payments",
      },
    });
    expect(hook.commits[0].timestamp).toBe("2026-11-25T10:00:00+00:00");
  });

  it("is what Shiplog's git normalizer reads: sha, author, message, branch", () => {
    const res = normalizeGitPush(hook, { event: "Push Hook" });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.observations).toHaveLength(1);
    const o = res.observations[0];
    expect(o.revision).toEqual({
      sha: "b".repeat(40),
      repoUrl: "https://gitlab.example.com/shop/payments",
      ref: "main",
    });
    expect(o.details).toMatchObject({
      type: "source",
      author: { name: "Jonas Becker", email: "jonas.becker@shop.example.com" },
      title: "Fix refunds",
      message: "Fix refunds\n\nCloses #12",
      branch: "main",
    });
  });
});
