// Correlation rules, pure: which commit an observation belongs to, given the facts the store
// looked up for its keys, and which keys a linked observation hands on to others.
import type { Observation } from "../sources/types";

/** Strongest first: when several rules tie a row to its commit, the link records the strongest. */
export const LINK_RULES = [
  "label",
  "revision",
  "parent",
  "task-result",
  "digest",
  "manifests-revision",
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
  manifestsOwners: ReadonlyMap<string, bigint>;
  parents: ReadonlyMap<string, bigint>;
};

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
  return {
    shas: obs.revision ? [obs.revision.sha] : [],
    digests: isBuild(obs) ? [] : obs.digests,
    tags: imageTagKeys(obs),
    manifests: obs.kind === "Application" ? obs.manifestsRevisions.map((rev) => rev.sha) : [],
    parentKey: parentKeyOf(obs),
  };
}

/**
 * The strongest rule wins: an explicit `shiplog.dev/commit` label, then the commit the object
 * names itself, then its PipelineRun, then an image digest, then the manifests revision a linked
 * pipeline wrote, then an image tag that Harbor resolves to a linked digest.
 */
export function decideLink(obs: Observation, facts: Facts): LinkDecision | null {
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
  for (const digest of keys.digests) {
    const commitId = facts.digestOwners.get(digest);
    if (commitId !== undefined) return { commitId, rule: "digest", evidence: digest };
  }
  for (const sha of keys.manifests) {
    const commitId = facts.manifestsOwners.get(sha);
    if (commitId !== undefined) return { commitId, rule: "manifests-revision", evidence: sha };
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
