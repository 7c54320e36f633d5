// zod schemas for the push webhooks Shiplog reads: GitLab's "Push Hook" and GitHub's "push".
// Only the fields used are declared; everything else in these large bodies is dropped.
import { z } from "zod";

const sha = z
  .string()
  .regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i, "expected a 40- or 64-hex commit SHA");
const optStr = z.string().nullish();

export const gitlabPushSchema = z.object({
  object_kind: z.literal("push"),
  ref: z.string().min(1),
  before: optStr,
  after: z.string(),
  checkout_sha: optStr,
  user_name: optStr,
  user_username: optStr,
  project: z.object({
    web_url: z.string().min(1),
    path_with_namespace: z.string().min(1),
    git_http_url: optStr,
  }),
  commits: z.array(
    z.object({
      id: sha,
      message: z.string(),
      title: optStr,
      timestamp: optStr,
      url: optStr,
      author: z.object({ name: optStr, email: optStr }).nullish(),
    }),
  ),
  total_commits_count: z.number().nullish(),
});
export type GitlabPush = z.infer<typeof gitlabPushSchema>;

const githubCommit = z.object({
  id: sha,
  message: z.string(),
  timestamp: optStr,
  url: optStr,
  author: z.object({ name: optStr, email: optStr, username: optStr }).nullish(),
});

export const githubPushSchema = z.object({
  ref: z.string().min(1),
  before: optStr,
  after: z.string(),
  deleted: z.boolean().nullish(),
  repository: z.object({
    full_name: z.string().min(1),
    html_url: z.string().min(1),
    clone_url: optStr,
  }),
  head_commit: githubCommit.nullish(),
  commits: z.array(githubCommit),
  pusher: z.object({ name: optStr, email: optStr }).nullish(),
});
export type GithubPush = z.infer<typeof githubPushSchema>;
