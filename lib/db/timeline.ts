// Read side of the timeline: one commit's rows (found by SHA or prefix) assembled into API.md's
// CommitTimeline. The commit list and the apps overview live in commits.ts.
import "server-only";
import { config } from "@/lib/config";
import { BadInput, NotFound } from "@/lib/errors";
import { assembleTimeline } from "@/lib/timeline/assemble";
import type { CommitTimeline, LinkBases, ResourceRow } from "@/lib/timeline/types";
import type { PrismaClient } from "./generated/client";
import { db } from "./client";

export { listApps, listCommits, type AppListing, type CommitListQuery } from "./commits";

const SHA_PREFIX = /^[0-9a-f]{7,64}$/;

/** `sha >= p and sha < p || 'g'`: a range the sha index answers (hex sorts the same in any collation). */
export function shaPrefixFilter(prefix: string) {
  return { gte: prefix, lt: `${prefix}g`, startsWith: prefix };
}

/** Deep-link bases from configuration (Harbor's UI shares its API's host). */
export function configuredLinkBases(): LinkBases {
  const harbor = config().harbor?.url.replace(/\/api\/v2\.0\/?$/, "") ?? null;
  return { harbor };
}

async function findCommit(client: PrismaClient, sha: string, app: string | null) {
  const prefix = sha.trim().toLowerCase();
  if (!SHA_PREFIX.test(prefix)) {
    throw new BadInput("sha must be 7 to 64 hexadecimal characters");
  }
  const candidates = await client.commit.findMany({
    where: { sha: shaPrefixFilter(prefix), ...(app ? { app: { name: app } } : {}) },
    include: { app: { select: { name: true, repoUrl: true } } },
    orderBy: { id: "asc" },
    take: 20,
  });
  if (candidates.length === 0) {
    throw new NotFound(app ? `no commit ${prefix} in app ${app}` : `no commit ${prefix}`);
  }
  const apps = [...new Set(candidates.map((c) => c.app.name))].sort();
  if (apps.length > 1) {
    throw new BadInput(
      `commit ${prefix} matches commits of several apps (${apps.join(", ")}): add ?app=`,
    );
  }
  const exact = candidates.find((c) => c.sha === prefix);
  if (!exact && candidates.length > 1) {
    throw new BadInput(
      `commit prefix ${prefix} matches ${candidates.length} commits of ${apps[0]}: give more characters`,
    );
  }
  return exact ?? candidates[0];
}

/**
 * The commit's resources in one round trip: those it is linked to (by links or commit_id) and the
 * child TaskRuns/CustomRuns of its PipelineRuns, which the timeline reads as the runs' tasks.
 */
function loadResources(client: PrismaClient, commitId: bigint): Promise<ResourceRow[]> {
  return client.$queryRaw<ResourceRow[]>`
    with own as (
      select id, cluster, key, kind from resources where commit_id = ${commitId}
      union
      select r.id, r.cluster, r.key, r.kind
        from links l join resources r on r.id = l.to_id
       where l.from_type = 'commit' and l.from_id = ${commitId} and l.to_type = 'resource'
    ), wanted as (
      select id from own
      union
      select c.id from own p join resources c on c.cluster = p.cluster and c.parent_key = p.key
       where p.kind = 'PipelineRun'
    )
    -- The timeline reads only the object's labels and annotations; a whole Kubernetes object
    -- would cost the driver tens of KiB of JSON parsing per timeline (bench/RESULTS.md).
    select r.id, r.system, r.kind, r.cluster, r.namespace, r.name, r.uid, r.key,
           jsonb_build_object('metadata', jsonb_build_object(
             'labels', r.object->'metadata'->'labels',
             'annotations', r.object->'metadata'->'annotations')) as object,
           r.observation, r.stage, r.status, r.reason, r.started_at as "startedAt",
           r.finished_at as "finishedAt", r.parent_key as "parentKey", r.environment,
           r.deleted_at as "deletedAt"
      from resources r join wanted w on w.id = r.id
     order by r.id`;
}

async function loadLinksAndArtifacts(client: PrismaClient, commitId: bigint) {
  const links = await client.link.findMany({
    where: { fromType: "commit", fromId: commitId },
    select: { toType: true, toId: true, rule: true, evidence: true },
  });
  const artifactIds = links.filter((l) => l.toType === "artifact").map((l) => l.toId);
  const artifacts = await client.artifact.findMany({
    where: { OR: [{ commitId }, ...(artifactIds.length ? [{ id: { in: artifactIds } }] : [])] },
    orderBy: { id: "asc" },
  });
  return { links, artifacts };
}

export interface TimelineOptions {
  now?: Date;
  links?: LinkBases;
}

/**
 * A commit's timeline by full SHA or a prefix of at least 7 characters. NotFound when no commit
 * matches; BadInput when the prefix is ambiguous (across apps: pass `app`).
 */
export async function getCommitTimeline(
  sha: string,
  app?: string | null,
  client: PrismaClient = db(),
  options: TimelineOptions = {},
): Promise<CommitTimeline> {
  const commit = await findCommit(client, sha, app ?? null);
  const [resources, { links, artifacts }] = await Promise.all([
    loadResources(client, commit.id),
    loadLinksAndArtifacts(client, commit.id),
  ]);
  return assembleTimeline(
    { commit, app: commit.app, resources, artifacts, links },
    options.now ?? new Date(),
    options.links ?? configuredLinkBases(),
  );
}
