// Types the simulated controllers share, so that none imports another for its shapes: the git
// host's commits and repositories, Argo CD's deployed event, and what the controllers ask of the
// git host, each cluster's Argo CD and kpack.
import type { KubeObject } from "../kube";
import type { Person } from "../scenario/data";

export interface GitCommit {
  sha: string;
  parent: string | null;
  title: string;
  message: string;
  author: Person;
  /** ISO 8601 with an offset, as GitLab writes it. */
  timestamp: string;
  added: string[];
  modified: string[];
  removed: string[];
  /** Every file at this commit (path → content). */
  tree: Record<string, string>;
}

export interface GitRepo {
  url: string;
  name: string;
  namespace: string;
  /** "shop/payments" */
  path: string;
  description: string;
  projectId: number;
  branch: string;
  commits: GitCommit[];
  userIds: Record<string, number>;
}

export interface CommitInput {
  sha: string;
  title: string;
  message: string;
  author: Person;
  added?: string[];
  modified?: string[];
  removed?: string[];
  /** Files written by this commit. */
  files?: Record<string, string>;
}

export type PushListener = (repo: GitRepo, commit: GitCommit) => void;

export interface DeployedEvent {
  cluster: string;
  application: string;
  app: string;
  environment: string;
  revision: string;
  image: string;
}

/** The git host as the other controllers use it. */
export interface GitApi {
  addRepo(input: { url: string; description: string; projectId: number; users?: string[] }): void;
  head(url: string): GitCommit | undefined;
  at(url: string, sha: string): GitCommit | undefined;
  commit(url: string, input: CommitInput, opts?: { hook?: boolean }): GitCommit;
  onPush(listener: PushListener): () => void;
}

/** A cluster's Argo CD as its API server and the pipeline's sync task use it. */
export interface ArgoCdApi {
  requestSync(
    name: string,
    opts: { revision?: string; username: string },
  ): { ok: true } | { ok: false; message: string };
  waitForSync(
    name: string,
    revision: string,
  ): Promise<{ phase: string; message: string; health: string }>;
}

export type Rebuild = "BUILDPACK" | "STACK";

/** kpack's controller as a running Build uses it. */
export interface KpackApi {
  plannedDigest(build: KubeObject): string;
  requestRebuild(image: string, kind: Rebuild): void;
  runImage(image: string): string;
}
