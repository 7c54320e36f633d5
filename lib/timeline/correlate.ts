// Correlation rules, pure: which commit an observation belongs to, given the facts the store
// looked up for its keys, and which keys a linked observation hands on to others.
import type { Observation } from "../sources/types";

/** Strongest first: when several rules tie a row to its commit, the link records the strongest. */
export const LINK_RULES = [
  "label",
  "revision",
  "parent",
  "task-result",
  "manifests-revision",
  "digest",
  "tag",
] as const;
export type LinkRule = (typeof LINK_RULES)[number];

export type LinkDecision = { commitId: bigint; rule: LinkRule; evidence: string };

/** What the store found for an observation's keys; each map holds only already-linked owners. */
export type Facts = {
  commitsBySha: ReadonlyMap<string, bigint>;
  digestOwners: ReadonlyMap<string, bigint>;
  /** "project/repo:tag" → digest, from Harbor. */
  tagDigests: ReadonlyMap<string, string>;
  /** Manifests commit → the commits (and their apps) whose pipelines wrote it. */
  manifestsOwners: ReadonlyMap<string, readonly ManifestsOwner[]>;
  parents: ReadonlyMap<string, bigint>;
};

/** A commit whose pipeline wrote a manifests commit, for an app and (when known) an environment. */
export type ManifestsOwner = { commitId: bigint; app: string; environment?: string | null };

export type LookupKeys = {
  shas: string[];
  digests: string[];
  tags: string[];
  manifests: string[];
  parentKey: string | null;
};

/** Builds (and Harbor artifacts once linked) are where digests come from; others only carry them. */
export function ownsDigests(obs: Pick<Observation, "system" | "kind">): boolean {
  return (obs.system === "kpack" && obs.kind === "Build") || obs.system === "harbor";
}

/** Runs that write the manifests commit (git-cli's `commit` result) own that revision. */
export function ownsManifests(obs: Pick<Observation, "system" | "kind">): boolean {
  return obs.system === "tekton" && (obs.kind === "PipelineRun" || obs.kind === "TaskRun");
}

function isBuild(obs: Pick<Observation, "system" | "kind">): boolean {
  return obs.system === "kpack" && obs.kind === "Build";
}

export function parentKeyOf(obs: Observation): string | null {
  return obs.parent && obs.namespace
    ? `tekton:${obs.parent.kind}:${obs.namespace}/${obs.parent.name}`
    : null;
}

/**
 * "registry/project/repo:tag" as Harbor names it: "project/repo:tag" (registry dropped). A Build's
 * own tags are where images come from, not a clue to another commit's image.
 */
export function imageTagKeys(obs: Observation): string[] {
  if (isBuild(obs)) return [];
  return [
    ...new Set(
      obs.imageRefs
        .filter((ref) => ref.tag && !ref.digest)
        .map((ref) => `${ref.repository}:${ref.tag}`),
    ),
  ];
}

export function lookupKeys(obs: Observation): LookupKeys {
  const application = obs.kind === "Application";
  const imagesCount = !application || liveImagesAreTheTarget(obs);
  return {
    shas: obs.revision ? [obs.revision.sha] : [],
    digests: isBuild(obs) || !imagesCount ? [] : obs.digests,
    tags: imagesCount ? imageTagKeys(obs) : [],
    manifests: application ? obs.manifestsRevisions.map((rev) => rev.sha) : [],
    parentKey: parentKeyOf(obs),
  };
}

/**
 * An Application's `summary.images` are what runs now, not what its revision asks for: during a
 * sync, and after a failed one, they are the previous deploy's images. They name this revision's
 * image once it is Synced and either its own sync succeeded, or it never needed one (a manifests
 * commit that changed nothing for this app: Synced at once, absent from the deploy history).
 */
export function liveImagesAreTheTarget(obs: Observation): boolean {
  if (obs.details.type !== "deploy") return true;
  const { operationPhase, syncStatus, revision, syncedRevisions, targetRevisions, history } =
    obs.details;
  if (revision === null || syncStatus !== "Synced" || !targetRevisions.includes(revision))
    return false;
  if (operationPhase !== null && operationPhase !== "Succeeded") return false;
  if (syncedRevisions.includes(revision)) return true;
  return !history.some((entry) => entry.revisions.includes(revision));
}

/**
 * The apps an Argo CD Application may deploy, to match against the app of the pipeline that wrote
 * its manifests revision: a manifests repo is shared, and every Application following it moves
 * to each new commit, whichever app's pipeline wrote it. Its `shiplog.dev/app` label, else its
 * name with and without an environment suffix (`payments-staging` → `payments`), and the path
 * segments of its sources (`apps/payments/overlays/staging`).
 */
export function applicationApps(obs: Observation): string[] {
  if (obs.labels.app) return [obs.labels.app];
  const names = obs.appHints.flatMap((hint) => [hint, hint.replace(/-[^-]+$/, "")]);
  const paths =
    obs.details.type === "deploy"
      ? obs.details.sources.flatMap((src) => (src.path ?? "").split("/"))
      : [];
  return [...new Set([...names, ...paths].filter(Boolean).map((name) => name.toLowerCase()))];
}

/**
 * The owner among those that wrote `sha` whose app this Application deploys, to the same
 * environment: a production promotion's manifests commit moves staging's Application too, but
 * deploys nothing new there.
 */
export function manifestsOwnerFor(
  obs: Observation,
  environment: string | null | undefined,
  owners: readonly ManifestsOwner[] | undefined,
): ManifestsOwner | null {
  if (!owners?.length) return null;
  const apps = applicationApps(obs);
  const env = environment ?? obs.labels.environment ?? obs.environment;
  return (
    owners.find(
      (owner) =>
        apps.includes(owner.app.toLowerCase()) &&
        (!owner.environment || !env || owner.environment === env),
    ) ?? null
  );
}

/**
 * The strongest rule wins: an explicit `shiplog.dev/commit` label, then the commit the object
 * names itself, then its PipelineRun, then the manifests revision a pipeline of the same app
 * wrote, then an image digest (for an Application: only images it runs after a successful sync),
 * then an image tag that Harbor resolves to a linked digest.
 */
export function decideLink(
  obs: Observation,
  facts: Facts,
  environment: string | null = null,
): LinkDecision | null {
  const keys = lookupKeys(obs);
  for (const sha of keys.shas) {
    const commitId = facts.commitsBySha.get(sha);
    if (commitId !== undefined)
      return { commitId, rule: obs.labels.commit ? "label" : "revision", evidence: sha };
  }
  if (keys.parentKey) {
    const commitId = facts.parents.get(keys.parentKey);
    if (commitId !== undefined) return { commitId, rule: "parent", evidence: keys.parentKey };
  }
  for (const sha of keys.manifests) {
    const owner = manifestsOwnerFor(obs, environment, facts.manifestsOwners.get(sha));
    if (owner) return { commitId: owner.commitId, rule: "manifests-revision", evidence: sha };
  }
  for (const digest of keys.digests) {
    const commitId = facts.digestOwners.get(digest);
    if (commitId !== undefined) return { commitId, rule: "digest", evidence: digest };
  }
  for (const tag of keys.tags) {
    const digest = facts.tagDigests.get(tag);
    const commitId = digest ? facts.digestOwners.get(digest) : undefined;
    if (digest && commitId !== undefined)
      return { commitId, rule: "tag", evidence: `${tag} → ${digest}` };
  }
  return null;
}

/** The app a commit-bearing observation names: its label, else its repository's last path segment. */
export function appNameOf(obs: Observation): string | null {
  if (obs.labels.app) return obs.labels.app;
  const repo = obs.revision?.repoUrl;
  const fromRepo = repo ? repo.replace(/\/+$/, "").split("/").pop() : undefined;
  return fromRepo || obs.appHints[0] || null;
}
