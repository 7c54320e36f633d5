// What every simulated controller shares: the clusters, Harbor, the git host, the ledger of facts,
// a scaled clock for timers, seeded randomness and a logger callback.
import type { Harbor } from "../harbor";
import type { Store } from "../kube";
import type { Ledger } from "../scenario/ledger";
import type { ScenarioConfig } from "../scenario/config";
import type { Logger, Scheduler } from "./clock";
import type { Seeded } from "./random";
import type { ArgoCdApi, GitApi } from "./types";

export interface SimContext {
  config: ScenarioConfig;
  seed: Seeded;
  clusters: Record<string, Store>;
  harbor: Harbor;
  git: GitApi;
  ledger: Ledger;
  scheduler: Scheduler;
  log: Logger;
  now: () => Date;
  /** Each cluster's Argo CD (its API server's sync call and the sync waiter). */
  argocd: Record<string, ArgoCdApi>;
}
