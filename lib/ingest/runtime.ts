// The watchers of this process, started once at server start when a cluster is configured.
import { config } from "../config";
import { pool } from "../db/pool";
import { loadClusters } from "../k8s/kubeconfig";
import { log } from "../log";
import { runAsLeader, type Leadership } from "./leader";
import { startWatchers, type Watchers } from "./watchers";

type State = { leadership: Leadership; watchers: () => Watchers | undefined; clusters: string[] };
const globalForIngest = globalThis as unknown as { shiplogIngest?: State | null };

export type IngestStatus =
  | { configured: false }
  | {
      configured: true;
      clusters: string[];
      leader: boolean;
      watchers: ReturnType<Watchers["status"]>;
    };

export function startIngest(): void {
  if (globalForIngest.shiplogIngest !== undefined) return;
  const settings = config();
  if (!settings.kubeconfig && !settings.inCluster) {
    log.info({}, "no KUBECONFIG and not in a cluster: not watching any cluster");
    globalForIngest.shiplogIngest = null;
    return;
  }
  const clusters = loadClusters({ kubeconfig: settings.kubeconfig, contexts: settings.contexts });
  let current: Watchers | undefined;
  const leadership = runAsLeader({
    pool: pool(),
    log,
    start: () => {
      current = startWatchers({
        clusters,
        namespaces: settings.namespaces,
        sources: settings.sources,
        pool: pool(),
        log,
      });
      const running = current;
      return {
        stop: async () => {
          current = undefined;
          await running.stop();
        },
      };
    },
  });
  globalForIngest.shiplogIngest = {
    leadership,
    watchers: () => current,
    clusters: clusters.map((c) => c.context),
  };
  log.info(
    { clusters: clusters.map((c) => `${c.context}=${c.environment}`) },
    "cluster ingest configured",
  );
}

export function ingestStatus(): IngestStatus {
  const state = globalForIngest.shiplogIngest;
  if (!state) return { configured: false };
  return {
    configured: true,
    clusters: state.clusters,
    leader: state.leadership.isLeader(),
    watchers: state.watchers()?.status() ?? [],
  };
}

export async function stopIngest(): Promise<void> {
  await globalForIngest.shiplogIngest?.leadership.stop();
}
