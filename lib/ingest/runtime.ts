// The ingest of this process, started once at server start: the cluster watchers and the Harbor
// reconcile poll, each when configured, run by the one replica that holds the leader lock.
import { config } from "../config";
import { pool } from "../db/pool";
import { gateNotifier } from "../gates/notify";
import { HarborClient } from "../harbor/client";
import { configuredClusters } from "../k8s/clusters";
import { log } from "../log";
import { startHarborPoll, type HarborPoll, type HarborPollRun } from "./harbor-poll";
import { runAsLeader, type Leadership, type LeaderStatus } from "./leader";
import { metrics } from "../metrics";
import { hub } from "../realtime";
import { startClusterWork } from "./cluster-work";
import { startTimelineKeeper } from "./timeline-keeper";
import type { Watchers } from "./watchers";

type Running = { watchers: Watchers | undefined; harbor: HarborPoll | undefined };
type State = {
  leadership: Leadership;
  /** What this replica runs now: nothing unless it holds the leader lock. */
  running: Running;
  clusters: string[];
  harborUrl: string | null;
};
const globalForIngest = globalThis as unknown as { shiplogIngest?: State | null };

export type IngestStatus =
  | { configured: false }
  | {
      configured: true;
      clusters: string[];
      leader: boolean;
      /** This replica's part in the leader election (lib/ingest/leader.ts). */
      leadership: LeaderStatus;
      watchers: ReturnType<Watchers["status"]>;
      /** null without HARBOR_URL; lastRun is null until this replica, as leader, has polled. */
      harbor: { url: string; lastRun: HarborPollRun | null } | null;
    };

export function startIngest(): void {
  if (globalForIngest.shiplogIngest !== undefined) return;
  const settings = config();
  const watching = Boolean(settings.kubeconfig || settings.inCluster);
  if (!watching) log.info({}, "no KUBECONFIG and not in a cluster: not watching any cluster");
  if (!settings.harbor) log.info({}, "no HARBOR_URL: Harbor arrives through its webhook only");
  if (!watching && !settings.harbor) {
    globalForIngest.shiplogIngest = null;
    return;
  }
  const clusters = [...configuredClusters().values()];
  const harbor = settings.harbor ? new HarborClient(settings.harbor) : undefined;
  const current: Running = { watchers: undefined, harbor: undefined };
  const leadership = runAsLeader({
    pool: pool(),
    log,
    onRole: (role) => metrics().leader.set(role === "leader" ? 1 : 0),
    start: () => {
      // The watchers, and the step-log keeper and gate controller they feed (lib/gates).
      const cluster = watching
        ? startClusterWork({
            clusters,
            namespaces: settings.namespaces,
            sources: settings.sources,
            pool: pool(),
            log,
            onGateOpen: gateNotifier(settings.gateWebhookUrl, log),
          })
        : undefined;
      current.watchers = cluster?.watchers;
      if (harbor) current.harbor = startHarborPoll({ client: harbor, pool: pool(), log });
      // Stores settled timelines for the read API, whichever replica wrote the change.
      const timelines = startTimelineKeeper({ pool: pool(), hub: hub(), log });
      const started = [cluster, current.harbor, timelines];
      return {
        stop: async () => {
          current.watchers = undefined;
          current.harbor = undefined;
          await Promise.all(started.map((work) => work?.stop()));
        },
      };
    },
  });
  globalForIngest.shiplogIngest = {
    leadership,
    running: current,
    clusters: clusters.map((c) => c.context),
    harborUrl: harbor?.url ?? null,
  };
  log.info(
    {
      clusters: clusters.map((c) => `${c.context}=${c.environment}`),
      harbor: harbor?.url ?? null,
    },
    "ingest configured",
  );
}

export function ingestStatus(): IngestStatus {
  const state = globalForIngest.shiplogIngest;
  if (!state) return { configured: false };
  const { watchers, harbor } = state.running;
  return {
    configured: true,
    clusters: state.clusters,
    leader: state.leadership.isLeader(),
    leadership: state.leadership.status(),
    watchers: watchers?.status() ?? [],
    harbor: state.harborUrl ? { url: state.harborUrl, lastRun: harbor?.lastRun() ?? null } : null,
  };
}

export async function stopIngest(): Promise<void> {
  await globalForIngest.shiplogIngest?.leadership.stop();
}
