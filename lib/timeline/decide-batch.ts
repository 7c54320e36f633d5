// A whole batch's links, decided before the batch is written: a row that enters the store already
// on its commit costs one write, not an insert and then an update. Each round decides what the
// facts allow, and what it decides becomes a fact for the next round, as the rows would once
// stored: a Build's digest, a PipelineRun's commit for its tasks, the manifests revision a
// pipeline wrote. What this cannot see (a task handing its commit up to its PipelineRun, a row
// stored before) the linker's propagation still finds after the write.
import type { Observation } from "../sources/types";
import {
  LINK_RULES,
  decideLink,
  ownsDigests,
  ownsManifests,
  type Facts,
  type LinkDecision,
  type ManifestsOwner,
} from "./correlate";

/** An object to link: a resource (with its cluster and environment) or an artifact (cluster null). */
export type Subject = {
  observation: Observation;
  cluster: string | null;
  environment: string | null;
};

/** What the store knows, as the facts query reads it. */
export type StoredFacts = Omit<Facts, "parents"> & {
  /** Cluster → parent key → the commit of that stored, linked PipelineRun. */
  parents: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
  /** The app of the commits found by SHA (a pipeline's manifests revision belongs to that app). */
  commitApps: ReadonlyMap<bigint, string>;
};

const NONE: ReadonlyMap<string, bigint> = new Map();

/** Each subject's decision (null: nothing links it yet), in the order given. */
export function decideBatch(
  subjects: readonly Subject[],
  stored: StoredFacts,
): (LinkDecision | null)[] {
  const digestOwners = new Map(stored.digestOwners);
  const tagDigests = new Map(stored.tagDigests);
  const manifestsOwners = new Map<string, readonly ManifestsOwner[]>(stored.manifestsOwners);
  const parents = new Map([...stored.parents].map(([cluster, keys]) => [cluster, new Map(keys)]));

  // Harbor names tag → digest whether or not the artifact is linked yet.
  for (const { observation: obs } of subjects) {
    const digest = obs.digests[0];
    // (An artifact read back from the store to link carries no details: nothing to add then.)
    if (obs.system !== "harbor" || obs.details?.type !== "image" || !digest) continue;
    for (const tag of obs.details.tags) {
      const key = `${obs.repository}:${tag}`;
      if (!tagDigests.has(key)) tagDigests.set(key, digest);
    }
  }

  const views = new Map<string | null, Facts>();
  const factsIn = (cluster: string | null): Facts => {
    let view = views.get(cluster);
    if (!view) {
      view = {
        commitsBySha: stored.commitsBySha,
        digestOwners,
        tagDigests,
        manifestsOwners,
        parents: (cluster !== null && parents.get(cluster)) || NONE,
      };
      views.set(cluster, view);
    }
    return view;
  };

  const learn = ({ observation: obs, cluster, environment }: Subject, decision: LinkDecision) => {
    const { commitId } = decision;
    if (ownsDigests(obs))
      for (const digest of obs.digests)
        if (!digestOwners.has(digest)) digestOwners.set(digest, commitId);
    if (cluster !== null && obs.system === "tekton" && obs.kind === "PipelineRun") {
      const keys = parents.get(cluster) ?? new Map<string, bigint>();
      if (!keys.has(obs.key)) keys.set(obs.key, commitId);
      if (!parents.has(cluster)) {
        parents.set(cluster, keys);
        views.delete(cluster);
      }
    }
    const app = stored.commitApps.get(commitId);
    if (app && ownsManifests(obs))
      for (const { sha } of obs.manifestsRevisions)
        manifestsOwners.set(sha, [
          ...(manifestsOwners.get(sha) ?? []),
          { commitId, app, environment },
        ]);
  };

  const decisions: (LinkDecision | null)[] = subjects.map(() => null);
  let open = subjects.map((_, i) => i);
  // A round decides against the facts as they stood when it began, like a round of stored rows.
  while (open.length > 0) {
    const round = open.map((i) => {
      const { observation, cluster, environment } = subjects[i];
      return { i, decision: decideLink(observation, factsIn(cluster), environment) };
    });
    const decided = round.filter(({ decision }) => decision !== null);
    if (decided.length === 0) break;
    for (const { i, decision } of decided) {
      decisions[i] = decision;
      learn(subjects[i], decision as LinkDecision);
    }
    open = round.filter(({ decision }) => decision === null).map(({ i }) => i);
  }
  // A later round may have learned a stronger rule for what an earlier one decided (a TaskRun
  // tied by digest whose PipelineRun came later): the link records the strongest, as stored rows
  // would have it after their dependents' round. Only an Application may change commits so.
  return decisions.map((decision, i) => {
    if (!decision) return null;
    const { observation, cluster, environment } = subjects[i];
    const final = decideLink(observation, factsIn(cluster), environment);
    const stronger = final && LINK_RULES.indexOf(final.rule) < LINK_RULES.indexOf(decision.rule);
    const sameCommit = final?.commitId === decision.commitId;
    return stronger && (sameCommit || observation.kind === "Application") ? final : decision;
  });
}
