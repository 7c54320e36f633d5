// Which operator actions a stage's resource offers (lib/actions/contract.ts: a Tekton PipelineRun
// is re-run, a kpack Build or Image rebuilt, an Argo CD Application synced or hard-refreshed), and
// how the Re-run dialog words them. Pure.

import { operationsFor, type RerunOperation, type RerunTarget } from "@/lib/actions/contract";

export type { RerunOperation, RerunTarget } from "@/lib/actions/contract";

export type RerunAction = { operation: RerunOperation; label: string; verb: string };

const WORDS: Record<RerunOperation, Omit<RerunAction, "operation">> = {
  rerun: { label: "Re-run", verb: "re-runs" },
  rebuild: { label: "Rebuild", verb: "rebuilds" },
  sync: { label: "Sync", verb: "syncs" },
  "hard-refresh": { label: "Hard refresh", verb: "hard-refreshes" },
};

/** The target and its actions, or null when the resource offers none (or its cluster is unknown). */
export function rerunActionsFor(
  resource: { system: string; kind: string; namespace: string; name: string } | null,
  cluster: string | null,
): { target: RerunTarget; actions: RerunAction[] } | null {
  if (!resource || !cluster) return null;
  const operations = operationsFor(resource.system, resource.kind);
  if (!operations) return null;
  const actions = operations.map((operation) => ({ operation, ...WORDS[operation] }));
  return {
    target: {
      system: resource.system as RerunTarget["system"],
      cluster,
      namespace: resource.namespace,
      kind: resource.kind as RerunTarget["kind"],
      name: resource.name,
    },
    actions,
  };
}

/** What the confirmation asks, e.g. "Re-run PipelineRun ci/promote-x1 in production?". */
export function confirmQuestion(action: RerunAction, target: RerunTarget): string {
  const what = `${target.kind} ${target.namespace}/${target.name} in ${target.cluster}`;
  return action.operation === "hard-refresh"
    ? `Hard-refresh ${what}? Argo CD re-reads the manifests, bypassing its cache.`
    : `${action.label} ${what}?`;
}

const DONE: Record<RerunOperation, string> = {
  rerun: "Re-run started",
  rebuild: "Rebuild requested",
  sync: "Sync started",
  "hard-refresh": "Hard refresh requested",
};

/**
 * What an accepted action says: a re-run of a run that had to wait to start waits too, at a new
 * approval gate of its own (the server's `result.heldForApproval`).
 */
export function doneText(
  operation: RerunOperation,
  result: Record<string, unknown> | null,
): string {
  if (operation === "rerun" && result?.heldForApproval === true)
    return "Re-run created: it waits for approval to start, at a new gate";
  return DONE[operation];
}
