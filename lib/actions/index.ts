// The action entry point the route uses, bound to this process: the configured clusters (the same
// kubeconfig contexts the watchers use) and the database pool. Any replica may run an action.
import "server-only";
import { config } from "../config";
import { pool } from "../db/pool";
import { loadClusters } from "../k8s/kubeconfig";
import { objectClient, type ObjectClient } from "../k8s/objects";
import type { AppError } from "../errors";
import { auditRefusal, runAction, type ActionInput, type ActionResult } from "./run";

export type { ActionInput, ActionResult } from "./run";

const globalForActions = globalThis as unknown as {
  shiplogActionClients?: Map<string, ObjectClient>;
};

function clients(): Map<string, ObjectClient> {
  if (!globalForActions.shiplogActionClients) {
    const settings = config();
    const watching = Boolean(settings.kubeconfig || settings.inCluster);
    const clusters = watching
      ? loadClusters({ kubeconfig: settings.kubeconfig, contexts: settings.contexts })
      : [];
    globalForActions.shiplogActionClients = new Map(
      clusters.map((c) => [c.context, objectClient(c.kubeConfig)]),
    );
  }
  return globalForActions.shiplogActionClients;
}

export function requestAction(
  actor: string,
  input: ActionInput,
  idempotencyKey: string | null,
): Promise<ActionResult> {
  return runAction({
    pool: pool(),
    client: (cluster) => clients().get(cluster),
    actor,
    input,
    idempotencyKey,
  });
}

/** Audits a request body refused before it names an action (not JSON, unknown fields, …). */
export function auditRefusedRequest(actor: string, error: AppError): Promise<void> {
  return auditRefusal(pool(), actor, "action.rerun", null, null, error);
}
