// Git push webhooks (GitLab "Push Hook", GitHub "push") feed `source`: one observation per pushed
// commit, carrying the author, message and time the rest of the chain never sees.
import { githubPushSchema, gitlabPushSchema } from "./git-schema";
import { isoTime, normalizeRepoUrl, normalizeSha } from "./refs";
import { fail, ignored, issuesOf, ok, type NormalizeResult } from "./result";
import { emptyLabels, type Observation, type SourceDetails } from "./types";
import { isRecord } from "./values";

const ZERO = /^0+$/;

export interface GitPushOptions {
  /** The event header if the route has it: X-Gitlab-Event ("Push Hook") or X-GitHub-Event ("push"). */
  event?: string | null;
}

interface CommitInput {
  sha: string;
  message: string;
  title: string | null;
  timestamp: string | null | undefined;
  url: string | null | undefined;
  author:
    { name?: string | null; email?: string | null; username?: string | null } | null | undefined;
}

interface PushInput {
  repoUrl: string;
  repository: string;
  branch: string;
  head: string;
  pushedBy: string | null;
  commits: CommitInput[];
}

function commitObservation(p: PushInput, c: CommitInput): Observation {
  const sha = normalizeSha(c.sha)!;
  const repoUrl = normalizeRepoUrl(p.repoUrl);
  const committedAt = isoTime(c.timestamp);
  const details: SourceDetails = {
    type: "source",
    author: {
      name: c.author?.name ?? null,
      email: c.author?.email ?? null,
      username: c.author?.username ?? null,
    },
    title: c.title ?? c.message.split("\n")[0],
    message: c.message,
    committedAt,
    url: c.url ?? null,
    branch: p.branch,
    pushedBy: p.pushedBy,
    head: sha === p.head,
  };
  return {
    key: `git:Commit:${repoUrl}@${sha}`,
    system: "git",
    kind: "Commit",
    apiVersion: null,
    namespace: null,
    name: sha,
    uid: null,
    resourceVersion: null,
    repository: p.repository,
    stage: "source",
    status: "succeeded",
    reason: null,
    message: null,
    startedAt: committedAt,
    finishedAt: committedAt,
    revision: { sha, repoUrl, ref: p.branch },
    digests: [],
    imageRefs: [],
    manifestsRevisions: [],
    labels: emptyLabels(),
    parent: null,
    appHints: [p.repository.split("/").pop() ?? p.repository],
    environment: null,
    details,
  };
}

/** Branch pushes only: tags and branch deletions carry no new commit for the timeline. */
function branchOf(ref: string, after: string): { branch: string } | { skip: string } {
  if (ZERO.test(after)) return { skip: `push deleting ${ref}` };
  if (!ref.startsWith("refs/heads/")) return { skip: `push to ${ref} (not a branch)` };
  return { branch: ref.slice("refs/heads/".length) };
}

function fromPush(p: PushInput): NormalizeResult {
  // Oldest first, as the forges list them; the head commit last.
  const seen = new Set<string>();
  const commits = p.commits.filter(
    (c) => !seen.has(c.sha.toLowerCase()) && seen.add(c.sha.toLowerCase()),
  );
  return ok(commits.map((c) => commitObservation(p, c)));
}

function gitlab(body: unknown): NormalizeResult {
  const parsed = gitlabPushSchema.safeParse(body);
  if (!parsed.success)
    return fail("invalid-payload", "git", "GitLab Push Hook is malformed", issuesOf(parsed.error));
  const b = parsed.data;
  const where = branchOf(b.ref, b.after);
  if ("skip" in where) return ignored(where.skip);
  return fromPush({
    repoUrl: b.project.web_url,
    repository: b.project.path_with_namespace,
    branch: where.branch,
    head: normalizeSha(b.checkout_sha) ?? normalizeSha(b.after) ?? "",
    // The username, never user_name: that is a display name anyone can set for themselves.
    pushedBy: b.user_username ?? null,
    commits: b.commits.map((c) => ({
      sha: c.id,
      message: c.message,
      title: c.title ?? null,
      timestamp: c.timestamp,
      url: c.url,
      author: c.author,
    })),
  });
}

function github(body: unknown): NormalizeResult {
  const parsed = githubPushSchema.safeParse(body);
  if (!parsed.success)
    return fail("invalid-payload", "git", "GitHub push is malformed", issuesOf(parsed.error));
  const b = parsed.data;
  if (b.deleted) return ignored(`push deleting ${b.ref}`);
  const where = branchOf(b.ref, b.after);
  if ("skip" in where) return ignored(where.skip);
  // head_commit is also in commits unless the push only moved the branch to a known commit.
  const all = [...b.commits, ...(b.head_commit ? [b.head_commit] : [])];
  return fromPush({
    repoUrl: b.repository.html_url,
    repository: b.repository.full_name,
    branch: where.branch,
    head: normalizeSha(b.after) ?? "",
    pushedBy: b.pusher?.name ?? null,
    commits: all.map((c) => ({
      sha: c.id,
      message: c.message,
      title: null,
      timestamp: c.timestamp,
      url: c.url,
      author: c.author,
    })),
  });
}

/**
 * A push webhook body from GitLab or GitHub. The format is told by the event header when given,
 * else by the body (`object_kind` is GitLab's). Other events (ping, merge requests, tag pushes)
 * are valid but ignored.
 */
export function normalizeGitPush(body: unknown, opts: GitPushOptions = {}): NormalizeResult {
  if (!isRecord(body)) return fail("not-an-object", "git", "git webhook body is not a JSON object");
  const event = opts.event ?? null;
  if (event !== null && event !== "Push Hook" && event !== "push")
    return ignored(`git event ${event}`);
  if (event === "Push Hook" || "object_kind" in body) {
    if (body.object_kind !== "push") return ignored(`GitLab event ${String(body.object_kind)}`);
    return gitlab(body);
  }
  if ("zen" in body && "hook_id" in body) return ignored("GitHub ping");
  return github(body);
}
