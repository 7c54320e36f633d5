// Kubeconfig loading: one KubeConfig per watched context (a context is a cluster + identity).
import * as k8s from "@kubernetes/client-node";
import type { ContextMapping } from "../config";

export type ClusterConnection = {
  context: string;
  environment: string;
  kubeConfig: k8s.KubeConfig;
};

/** Loads KUBECONFIG (or the in-cluster config) and selects the contexts to watch. */
export function loadClusters(options: {
  kubeconfig?: string;
  contexts: ContextMapping[];
}): ClusterConnection[] {
  const base = new k8s.KubeConfig();
  if (options.kubeconfig) base.loadFromFile(options.kubeconfig);
  else base.loadFromDefault();
  const wanted = options.contexts.length
    ? options.contexts
    : [{ context: base.getCurrentContext(), environment: base.getCurrentContext() }];
  return wanted.map(({ context, environment }) => {
    if (!base.getContextObject(context)) {
      const known = base.contexts.map((c) => c.name).join(", ") || "none";
      throw new Error(`kubeconfig has no context "${context}" (it has: ${known})`);
    }
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: base.clusters,
      users: base.users,
      contexts: base.contexts,
      currentContext: context,
    });
    return { context, environment, kubeConfig };
  });
}
