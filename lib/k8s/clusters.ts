// The clusters this process is configured for (KUBECONFIG or the in-cluster config, and
// SHIPLOG_CONTEXTS), loaded once: the watchers, operators' actions and pod logs all reach a
// cluster through these connections. Every replica has them, not only the one that watches.
import { config } from "../config";
import { loadClusters, type ClusterConnection } from "./kubeconfig";

const globalForClusters = globalThis as unknown as {
  shiplogClusters?: ReadonlyMap<string, ClusterConnection>;
};

/** The configured cluster contexts by name; empty when no kubeconfig or cluster is configured. */
export function configuredClusters(): ReadonlyMap<string, ClusterConnection> {
  if (!globalForClusters.shiplogClusters) {
    const settings = config();
    const clusters =
      settings.kubeconfig || settings.inCluster
        ? loadClusters({ kubeconfig: settings.kubeconfig, contexts: settings.contexts })
        : [];
    globalForClusters.shiplogClusters = new Map(clusters.map((c) => [c.context, c]));
  }
  return globalForClusters.shiplogClusters;
}
