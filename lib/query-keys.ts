// Typed query-key factories for every client query. Server-sent events invalidate exactly these
// keys (lib/client/invalidate.ts), so a key's shape is part of how live updates find their data.

/** The Releases list's filters, exactly as they appear in the URL and the commits API. */
export interface CommitFilters {
  app?: string;
  environment?: string;
  branch?: string;
  status?: string;
  author?: string;
  q?: string;
  cursor?: string;
}

export type GateListStatus = "pending" | "decided";

/** Drops empty values so that `{ app: "" }` and `{}` are the same query. */
export function normalizeFilters(filters: CommitFilters): CommitFilters {
  const out: CommitFilters = {};
  for (const [key, value] of Object.entries(filters) as [keyof CommitFilters, unknown][]) {
    if (typeof value === "string" && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

export const queryKeys = {
  apps: {
    all: ["apps"] as const,
    list: () => [...queryKeys.apps.all, "list"] as const,
  },
  commits: {
    all: ["commits"] as const,
    lists: () => [...queryKeys.commits.all, "list"] as const,
    list: (filters: CommitFilters) =>
      [...queryKeys.commits.lists(), normalizeFilters(filters)] as const,
    details: () => [...queryKeys.commits.all, "detail"] as const,
    detail: (app: string, sha: string) =>
      [...queryKeys.commits.details(), app, sha.toLowerCase()] as const,
  },
  deployments: {
    all: ["deployments"] as const,
    list: (app?: string) => [...queryKeys.deployments.all, app ?? null] as const,
  },
  runs: {
    all: ["runs"] as const,
    detail: (cluster: string, namespace: string, kind: string, name: string) =>
      [...queryKeys.runs.all, cluster, namespace, kind, name] as const,
    log: (
      run: { cluster: string; namespace: string; kind: string; name: string },
      group: string,
      step: string,
    ) =>
      [
        ...queryKeys.runs.detail(run.cluster, run.namespace, run.kind, run.name),
        "log",
        group,
        step,
      ] as const,
  },
  /** The approvals inbox's gate lists by status (GET /api/v1/approvals?status=…). */
  approvals: {
    all: ["approvals"] as const,
    lists: () => [...queryKeys.approvals.all, "list"] as const,
    list: (status: GateListStatus) => [...queryKeys.approvals.lists(), status] as const,
  },
};
