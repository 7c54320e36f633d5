// Plays the scenario: a commit every few seconds (seeded jitter), the apps in turn, each pushed
// with a GitLab Push Hook; stops after `onlyCommits` when set.
import type { SimContext } from "../controllers/context";
import type { GitCommit } from "../controllers/types";
import type { FailureRates } from "./config";
import { commitContent } from "./data";

/** What a commit made on demand may change about its own story. */
export interface CommitOptions {
  /** Its approval gates wait for people (Shiplog) even when the simulator decides gates. */
  humanGates?: boolean;
  /** Its own failure rates over the scenario's; `NO_FAILURES` for a commit that must get through. */
  rates?: Partial<FailureRates>;
}

export class ScenarioPlayer {
  private made = 0;
  private readonly perApp = new Map<string, number>();
  private cancel: (() => void) | null = null;
  private resolveDone!: () => void;
  /** Resolves once `onlyCommits` commits are made (never without it). */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  constructor(private readonly ctx: SimContext) {
    for (const c of ctx.ledger.commits)
      this.perApp.set(c.app, Math.max(this.perApp.get(c.app) ?? 0, c.n));
  }

  get commitsMade(): number {
    return this.made;
  }

  start(): void {
    this.scheduleNext(0.5);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /** Commits to an app now (the next in the app's history); returns the commit. */
  commit(app: string, options: CommitOptions = {}): GitCommit {
    const cfg = this.ctx.config.apps.find((a) => a.name === app);
    if (!cfg) throw new Error(`unknown app ${app}`);
    const n = (this.perApp.get(app) ?? 0) + 1;
    this.perApp.set(app, n);
    const content = commitContent(this.ctx.seed, app, n);
    const commit = this.ctx.git.commit(
      cfg.repoUrl,
      { sha: this.ctx.seed.sha("commit", app, n), ...content },
      { hook: true },
    );
    this.ctx.ledger.addCommit({
      app,
      sha: commit.sha,
      repoUrl: cfg.repoUrl,
      n,
      author: content.author.name,
      title: content.title,
      committedAt: commit.timestamp,
      ...(options.humanGates ? { humanGates: true } : {}),
      ...(options.rates ? { rates: options.rates } : {}),
    });
    this.ctx.log({ level: "info", msg: "commit", app, sha: commit.sha, title: content.title });
    return commit;
  }

  private scheduleNext(factor?: number): void {
    const limit = this.ctx.config.onlyCommits;
    if (limit !== null && this.made >= limit) {
      this.resolveDone();
      return;
    }
    const jitter = factor ?? 0.75 + 0.5 * this.ctx.seed.float("interval", this.made);
    this.cancel = this.ctx.scheduler.after(this.ctx.config.commitIntervalMs * jitter, () => {
      const apps = this.ctx.config.apps;
      this.commit(apps[this.made % apps.length].name);
      this.made++;
      this.scheduleNext();
    });
  }
}
