// The action entry point the route uses, bound to this process: the configured clusters (the same
// kubeconfig contexts the watchers use) and the database pool. Any replica may run an action.
import "server-only";
import { pool } from "../db/pool";
import { configuredClusters } from "../k8s/clusters";
import { objectClient } from "../k8s/objects";
import type { AppError } from "../errors";
import { auditRefusal, runAction, type ActionInput, type ActionResult } from "./run";

export type { ActionInput, ActionResult } from "./run";

export function requestAction(
  actor: string,
  input: ActionInput,
  idempotencyKey: string | null,
): Promise<ActionResult> {
  return runAction({
    pool: pool(),
    client: (cluster) => {
      const connection = configuredClusters().get(cluster);
      return connection && objectClient(connection.kubeConfig);
    },
    actor,
    input,
    idempotencyKey,
  });
}

/** Audits a request body refused before it names an action (not JSON, unknown fields, …). */
export function auditRefusedRequest(actor: string, error: AppError): Promise<void> {
  return auditRefusal(pool(), actor, "action.rerun", null, null, error);
}
