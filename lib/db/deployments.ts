// What runs in each environment now: per Argo CD Application, the newest deploy that belongs to a
// commit (the rows the store keeps per deployed revision), with the Application's current health.
import "server-only";
import type { PrismaClient } from "./generated/client";
import { db } from "./client";
import { configuredEnvironments } from "./commits";

export interface Deployment {
  app: string;
  environment: string | null;
  cluster: string;
  /** The Argo CD Application and its namespace. */
  application: string;
  namespace: string;
  sha: string;
  shortSha: string;
  /** The image digest the deploy put live (`sha256:…`), when Argo CD reported one. */
  digest: string | null;
  /** When that deploy finished (or started, while it still runs). */
  since: string | null;
  /** The Application's health and sync status now (Healthy, Degraded…; Synced, OutOfSync…). */
  health: string | null;
  syncStatus: string | null;
  /** The deploy stage's status of that commit (the API's vocabulary). */
  status: string;
}

type Row = {
  app: string;
  sha: string;
  environment: string | null;
  cluster: string;
  name: string;
  namespace: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  images: unknown;
  health: string | null;
  syncStatus: string | null;
};

/** The first `<repository>@sha256:…` image of the deploy, as its digest. */
export function digestOf(images: unknown): string | null {
  if (!Array.isArray(images)) return null;
  for (const image of images) {
    const match = typeof image === "string" ? /@(sha256:[0-9a-f]{64})$/.exec(image) : null;
    if (match) return match[1];
  }
  return null;
}

/**
 * One entry per Application still in its cluster, for every app or one. "Newest" goes by the
 * Kubernetes resourceVersion the row was last written with (the ingest keeps it per revision
 * row); a deploy whose sync operation failed never went live, so it does not count as running.
 */
export async function listDeployments(
  app?: string | null,
  client: PrismaClient = db(),
  configured: string[] = configuredEnvironments(),
): Promise<Deployment[]> {
  const rows = await client.$queryRaw<Row[]>`
    with apps_rows as (
      select r.*, (case when r.resource_version ~ '^[0-9]{1,30}$'
                        then r.resource_version::numeric end) as rv
        from resources r
       where r.system = 'argocd' and r.kind = 'Application'
    ), current as (
      select distinct on (cluster, key) cluster, key, deleted_at,
             observation->'details'->>'health' as health,
             observation->'details'->>'syncStatus' as "syncStatus"
        from apps_rows
       order by cluster, key, rv desc nulls last, observed_at desc, id desc
    ), deployed as (
      select distinct on (r.cluster, r.key) r.cluster, r.key, r.name, r.namespace, r.environment,
             r.status, r.started_at, r.finished_at, r.observation->'details'->'images' as images,
             c.sha, a.name as app
        from apps_rows r
        join commits c on c.id = r.commit_id
        join apps a on a.id = c.app_id
       where coalesce(r.observation->'details'->>'operationPhase', '') not in ('Failed', 'Error')
         and (${app ?? null}::text is null or a.name = ${app ?? null}::text)
       order by r.cluster, r.key, r.rv desc nulls last, r.finished_at desc nulls first, r.id desc
    )
    select d.app, d.sha, d.environment, d.cluster, d.name, d.namespace, d.status,
           d.started_at as "startedAt", d.finished_at as "finishedAt", d.images,
           cur.health, cur."syncStatus"
      from deployed d join current cur on cur.cluster = d.cluster and cur.key = d.key
     where cur.deleted_at is null`;
  const rank = (e: string | null) =>
    e !== null && configured.includes(e) ? configured.indexOf(e) : configured.length;
  return rows
    .map((r) => ({
      app: r.app,
      environment: r.environment,
      cluster: r.cluster,
      application: r.name,
      namespace: r.namespace,
      sha: r.sha,
      shortSha: r.sha.slice(0, 7),
      digest: digestOf(r.images),
      since: (r.finishedAt ?? r.startedAt)?.toISOString() ?? null,
      health: r.health,
      syncStatus: r.syncStatus,
      status: r.status,
    }))
    .sort(
      (a, b) =>
        a.app.localeCompare(b.app) ||
        rank(a.environment) - rank(b.environment) ||
        (a.environment ?? "").localeCompare(b.environment ?? "") ||
        a.cluster.localeCompare(b.cluster) ||
        a.application.localeCompare(b.application),
    );
}
