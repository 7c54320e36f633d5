import { describe, expect, it } from "vitest";
import { normalizeGitPush } from "./git";
import { all, loadJson } from "@/test/reference-fixtures";
import type { Observation, SourceDetails } from "./types";

const src = (o: Observation) => o.details as SourceDetails;
const gitlab = () => loadJson("git/gitlab-push-hook.json");
const github = () => loadJson("git/github-push.json");

describe("GitLab Push Hook", () => {
  it("gives one source observation per commit, the head marked", () => {
    const [first, head] = all(normalizeGitPush(gitlab(), { event: "Push Hook" }));
    expect(first).toMatchObject({
      key: "git:Commit:https://gitlab.example.com/shop/payments@b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
      system: "git",
      kind: "Commit",
      name: "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
      repository: "shop/payments",
      stage: "source",
      status: "succeeded",
      startedAt: "2011-12-12T12:27:31.000Z",
      finishedAt: "2011-12-12T12:27:31.000Z",
      revision: {
        sha: "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
        repoUrl: "https://gitlab.example.com/shop/payments",
        ref: "main",
      },
      appHints: ["payments"],
    });
    expect(src(first)).toEqual({
      type: "source",
      author: { name: "Jordi Mallach", email: "jordi@softcatala.org", username: null },
      title: "Update Catalan translation to e38cb41.",
      message:
        "Update Catalan translation to e38cb41.\n\nSee https://gitlab.com/gitlab-org/gitlab for more information",
      committedAt: "2011-12-12T12:27:31.000Z",
      url: "https://gitlab.example.com/shop/payments/-/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
      branch: "main",
      pushedBy: "jsmith",
      head: false,
    });
    expect(head.name).toBe("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    expect(src(head)).toMatchObject({
      head: true,
      title: "fixed readme",
      author: { name: "GitLab dev user", email: "gitlabdev@dv6700.(none)", username: null },
    });
  });

  it("is recognised from the body alone (object_kind)", () => {
    expect(all(normalizeGitPush(gitlab())).map((o) => o.name)).toEqual([
      "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
      "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
    ]);
  });

  it("tag pushes, branch deletions and other events are ignored", () => {
    const tag = gitlab();
    tag.ref = "refs/tags/v1.0.0";
    expect(normalizeGitPush(tag)).toEqual({
      ok: true,
      observations: [],
      ignored: "push to refs/tags/v1.0.0 (not a branch)",
    });
    const del = gitlab();
    del.after = "0000000000000000000000000000000000000000";
    del.commits = [];
    expect(normalizeGitPush(del)).toEqual({
      ok: true,
      observations: [],
      ignored: "push deleting refs/heads/main",
    });
    expect(normalizeGitPush({ object_kind: "merge_request" })).toEqual({
      ok: true,
      observations: [],
      ignored: "GitLab event merge_request",
    });
    expect(normalizeGitPush(gitlab(), { event: "Tag Push Hook" })).toEqual({
      ok: true,
      observations: [],
      ignored: "git event Tag Push Hook",
    });
  });

  it("malformed bodies are typed errors with the path", () => {
    const bad = gitlab();
    bad.commits[0].id = "xyz";
    delete bad.project.web_url;
    const r = normalizeGitPush(bad);
    expect(r.ok ? null : [r.error.code, r.error.issues]).toEqual([
      "invalid-payload",
      [
        "project.web_url: Invalid input: expected string, received undefined",
        "commits.0.id: expected a 40- or 64-hex commit SHA",
      ],
    ]);
  });
});

describe("GitHub push", () => {
  it("gives the commit once (head_commit repeats it), repo URL normalised", () => {
    const [c] = all(normalizeGitPush(github(), { event: "push" }));
    expect(all(normalizeGitPush(github()))).toHaveLength(1);
    expect(c).toMatchObject({
      key: "git:Commit:https://github.com/octo-shop/payments@0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
      repository: "Octo-Shop/payments",
      revision: {
        sha: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
        repoUrl: "https://github.com/octo-shop/payments",
        ref: "main",
      },
      startedAt: "2019-05-15T19:20:30.000Z",
    });
    expect(src(c)).toEqual({
      type: "source",
      author: {
        name: "Codertocat",
        email: "21031067+Codertocat@users.noreply.github.com",
        username: "Codertocat",
      },
      title: "Update README.md",
      message: "Update README.md\n\nExplain the payment retry policy.",
      committedAt: "2019-05-15T19:20:30.000Z",
      url: "https://github.com/Octo-Shop/payments/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
      branch: "main",
      pushedBy: "Codertocat",
      head: true,
    });
  });

  it("a push that only moves the branch still gives its head commit", () => {
    const b = github();
    b.commits = [];
    expect(all(normalizeGitPush(b)).map((o) => src(o).head)).toEqual([true]);
  });

  it("deletions, tags and pings are ignored", () => {
    const del = github();
    Object.assign(del, {
      deleted: true,
      after: "0000000000000000000000000000000000000000",
      head_commit: null,
      commits: [],
    });
    expect(normalizeGitPush(del)).toEqual({
      ok: true,
      observations: [],
      ignored: "push deleting refs/heads/main",
    });
    const tag = github();
    tag.ref = "refs/tags/v2";
    expect(normalizeGitPush(tag).ok && (normalizeGitPush(tag) as { ignored: string }).ignored).toBe(
      "push to refs/tags/v2 (not a branch)",
    );
    expect(normalizeGitPush({ zen: "Keep it logically awesome.", hook_id: 1 })).toEqual({
      ok: true,
      observations: [],
      ignored: "GitHub ping",
    });
    expect(normalizeGitPush({}, { event: "pull_request" })).toEqual({
      ok: true,
      observations: [],
      ignored: "git event pull_request",
    });
  });

  it("malformed bodies are typed errors", () => {
    const b = github();
    delete b.repository;
    const r = normalizeGitPush(b);
    expect(r.ok ? null : r.error.issues).toEqual([
      "repository: Invalid input: expected object, received undefined",
    ]);
    for (const body of [null, "push", [1]]) {
      const e = normalizeGitPush(body);
      expect(e.ok ? null : [e.error.code, e.error.system]).toEqual(["not-an-object", "git"]);
    }
  });
});
