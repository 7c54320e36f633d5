// The simulated Git server: app repositories and the manifests repository, commits with their
// trees, a GitLab "Push Hook" to Shiplog on app pushes and in-process push listeners (kpack's
// source resolver, Argo CD's repo webhook).
import type { Logger } from "./clock";
import { gitlabPushHook } from "./git-hook";
import type { CommitInput, GitApi, GitCommit, GitRepo, PushListener } from "./types";
import { postWebhook } from "./webhook-client";

export interface GitHostOptions {
  now: () => Date;
  log: Logger;
  /** Where push hooks go (…/api/webhooks/git) and the X-Gitlab-Token to send. */
  webhook?: { url: string; secret?: string };
  isClosed?: () => boolean;
}

function gitlabTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "+00:00");
}

export class GitHost implements GitApi {
  readonly repos = new Map<string, GitRepo>();
  private readonly listeners = new Set<PushListener>();
  private readonly hooks = new Set<Promise<unknown>>();

  constructor(private readonly options: GitHostOptions) {}

  addRepo(input: { url: string; description: string; projectId: number; users?: string[] }) {
    const u = new URL(input.url);
    const path = u.pathname.slice(1);
    const repo: GitRepo = {
      url: input.url,
      name: path.split("/").pop() ?? path,
      namespace: path.split("/")[0],
      path,
      description: input.description,
      projectId: input.projectId,
      branch: "main",
      commits: [],
      userIds: Object.fromEntries((input.users ?? []).map((name, i) => [name, 4 + i])),
    };
    this.repos.set(input.url, repo);
    return repo;
  }

  repo(url: string): GitRepo {
    const repo = this.repos.get(url.replace(/\.git$/, ""));
    if (!repo) throw new Error(`no such repository: ${url}`);
    return repo;
  }

  /** The branch head (repositories have one branch, main). */
  head(url: string): GitCommit | undefined {
    const commits = this.repo(url).commits;
    return commits[commits.length - 1];
  }

  at(url: string, sha: string): GitCommit | undefined {
    return this.repo(url).commits.find((c) => c.sha === sha);
  }

  /** Commits on main and pushes: listeners hear it, and with `hook` Shiplog gets a Push Hook. */
  commit(url: string, input: CommitInput, opts: { hook?: boolean } = {}): GitCommit {
    const repo = this.repo(url);
    const parent = repo.commits[repo.commits.length - 1] ?? null;
    const commit: GitCommit = {
      sha: input.sha,
      parent: parent?.sha ?? null,
      title: input.title,
      message: input.message,
      author: input.author,
      timestamp: gitlabTime(this.options.now()),
      added: input.added ?? [],
      modified: input.modified ?? [],
      removed: input.removed ?? [],
      tree: { ...parent?.tree, ...input.files },
    };
    repo.commits.push(commit);
    if (opts.hook) this.sendHook(repo, parent?.sha ?? null, commit);
    for (const listener of this.listeners) {
      try {
        listener(repo, commit);
      } catch (err) {
        this.options.log({ level: "error", msg: "push listener failed", err: String(err) });
      }
    }
    return commit;
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the push hooks sent so far are delivered or given up. */
  async flushHooks(): Promise<void> {
    await Promise.all([...this.hooks]);
  }

  private sendHook(repo: GitRepo, before: string | null, commit: GitCommit) {
    const target = this.options.webhook;
    if (!target) return;
    const headers: Record<string, string> = {
      "X-Gitlab-Event": "Push Hook",
      "X-Gitlab-Instance": "https://gitlab.example.com",
      "User-Agent": "GitLab/17.5.1",
    };
    if (target.secret) headers["X-Gitlab-Token"] = target.secret;
    const p = postWebhook(
      { url: target.url, headers, body: gitlabPushHook(repo, before, [commit]) },
      this.options.log,
      this.options.isClosed,
    ).finally(() => this.hooks.delete(p));
    this.hooks.add(p);
  }
}
