// GitLab "Push Hook" bodies as GitLab sends them for a branch push (see
// test/fixtures/git/gitlab-push-hook.json): project and repository blocks, the pushed commits.
import type { GitCommit, GitRepo } from "./types";

const ZERO_SHA = "0".repeat(40);

function sshUrl(repo: GitRepo): string {
  const u = new URL(repo.url);
  return `git@${u.host}:${u.pathname.slice(1)}.git`;
}

export function gitlabPushHook(repo: GitRepo, before: string | null, commits: GitCommit[]) {
  const head = commits[commits.length - 1];
  const pusher = head.author;
  const ssh = sshUrl(repo);
  const http = `${repo.url}.git`;
  const name = repo.name.charAt(0).toUpperCase() + repo.name.slice(1);
  return {
    object_kind: "push",
    event_name: "push",
    before: before ?? ZERO_SHA,
    after: head.sha,
    ref: `refs/heads/${repo.branch}`,
    ref_protected: true,
    checkout_sha: head.sha,
    message: null,
    user_id: repo.userIds[pusher.username] ?? 1,
    user_name: pusher.name,
    user_username: pusher.username,
    user_email: "",
    user_avatar: `https://gitlab.example.com/uploads/-/system/user/avatar/${repo.userIds[pusher.username] ?? 1}/avatar.png`,
    project_id: repo.projectId,
    project: {
      id: repo.projectId,
      name,
      description: repo.description,
      web_url: repo.url,
      avatar_url: null,
      git_ssh_url: ssh,
      git_http_url: http,
      namespace: repo.namespace.charAt(0).toUpperCase() + repo.namespace.slice(1),
      visibility_level: 0,
      path_with_namespace: repo.path,
      default_branch: repo.branch,
      ci_config_path: null,
      homepage: repo.url,
      url: ssh,
      ssh_url: ssh,
      http_url: http,
    },
    commits: commits.map((c) => ({
      id: c.sha,
      message: c.message,
      title: c.title,
      timestamp: c.timestamp,
      url: `${repo.url}/-/commit/${c.sha}`,
      author: { name: c.author.name, email: c.author.email },
      added: c.added,
      modified: c.modified,
      removed: c.removed,
    })),
    total_commits_count: commits.length,
    push_options: {},
    repository: {
      name,
      url: ssh,
      description: repo.description,
      homepage: repo.url,
      git_http_url: http,
      git_ssh_url: ssh,
      visibility_level: 0,
    },
  };
}
