import { describe, expect, it } from "vitest";
import { normalizeHarborWebhook, normalizeResource } from "../sources";
import type { Observation } from "../sources/types";
import * as release from "@/test/scenarios/release";
import { decideBatch, type StoredFacts, type Subject } from "./decide-batch";

function one(result: ReturnType<typeof normalizeResource>): Observation {
  if (!result.ok) throw result.error;
  return result.observations[0];
}

const build = one(normalizeResource(release.build()));
const artifact = one(normalizeHarborWebhook(release.harborPush()));
const pipelineRun = one(normalizeResource(release.pipelineRun()));
const taskRun = one(normalizeResource(release.gitCliTaskRun()));
const application = one(
  normalizeResource(
    release.application("payments-staging", "1", [
      `harbor.example.com/shop/payments@${release.DIGEST}`,
    ]),
  ),
);

const inCluster = (observation: Observation, cluster = "staging"): Subject => ({
  observation,
  cluster,
  environment: "staging",
});
const harbor = (observation: Observation): Subject => ({
  observation,
  cluster: null,
  environment: null,
});

const nothing: StoredFacts = {
  commitsBySha: new Map(),
  commitApps: new Map(),
  digestOwners: new Map(),
  tagDigests: new Map(),
  manifestsOwners: new Map(),
  parents: new Map(),
};
/** The store knows commit 7 (app payments) by its SHA, and nothing else. */
const commitKnown: StoredFacts = {
  ...nothing,
  commitsBySha: new Map([[release.SHA, 7n]]),
  commitApps: new Map([[7n, "payments"]]),
};

describe("decideBatch", () => {
  it("ties a whole release arriving in one batch, in any order, each object by its rule", () => {
    const subjects = [
      inCluster(application),
      inCluster(taskRun),
      inCluster(pipelineRun),
      harbor(artifact),
      inCluster(build),
    ];
    expect(decideBatch(subjects, commitKnown)).toEqual([
      { commitId: 7n, rule: "manifests-revision", evidence: release.MANIFESTS },
      { commitId: 7n, rule: "parent", evidence: pipelineRun.key },
      { commitId: 7n, rule: "digest", evidence: release.DIGEST },
      { commitId: 7n, rule: "digest", evidence: release.DIGEST },
      { commitId: 7n, rule: "revision", evidence: release.SHA },
    ]);
  });

  it("ties an artifact read back from the store by the revision of its OCI labels", () => {
    // What the store hands over for an artifact that waited for its commit: no details.
    const waiting = {
      system: "harbor",
      kind: "Artifact",
      digests: [release.DIGEST],
      repository: "shop/payments",
      revision: { sha: release.SHA, repoUrl: null, ref: null },
      labels: { commit: null },
      imageRefs: [],
      manifestsRevisions: [],
      parent: null,
    } as unknown as Observation;
    expect(decideBatch([harbor(waiting), inCluster(pipelineRun)], commitKnown)).toEqual([
      { commitId: 7n, rule: "revision", evidence: release.SHA },
      { commitId: 7n, rule: "digest", evidence: release.DIGEST },
    ]);
  });

  it("leaves undecided what nothing ties to a commit yet", () => {
    const subjects = [inCluster(build), harbor(artifact), inCluster(pipelineRun)];
    expect(decideBatch(subjects, nothing)).toEqual([null, null, null]);
  });

  it("hands a PipelineRun's commit only to tasks in its own cluster", () => {
    const stored: StoredFacts = {
      ...nothing,
      digestOwners: new Map([[release.DIGEST, 7n]]),
      parents: new Map([["production", new Map([["tekton:PipelineRun:ci/other", 9n]])]]),
    };
    const subjects = [inCluster(pipelineRun, "staging"), inCluster(taskRun, "production")];
    expect(decideBatch(subjects, stored)).toEqual([
      { commitId: 7n, rule: "digest", evidence: release.DIGEST },
      null,
    ]);
  });

  it("records the strongest rule a later round learns, on the same commit only", () => {
    // The task carries the image digest itself: round one ties it by digest, round two learns
    // its PipelineRun's commit.
    const taskWithDigest = { ...taskRun, digests: [release.DIGEST] };
    const sameCommit = decideBatch([inCluster(taskWithDigest), inCluster(pipelineRun)], {
      ...nothing,
      digestOwners: new Map([[release.DIGEST, 7n]]),
    });
    expect(sameCommit[0]).toEqual({ commitId: 7n, rule: "parent", evidence: pipelineRun.key });

    // Its PipelineRun belongs to another commit (8, through another Build's digest): a task
    // already tied keeps its commit; only an Application may move.
    const otherDigest = `sha256:${"b2".repeat(32)}`;
    const otherSha = "0123456789abcdef0123456789abcdef01234567";
    const otherBuild = {
      ...build,
      key: "kpack:Build:apps/payments-build-2",
      digests: [otherDigest],
      revision: { sha: otherSha, repoUrl: release.REPO, ref: null },
    };
    const decided = decideBatch(
      [
        inCluster(taskWithDigest),
        inCluster({ ...pipelineRun, digests: [otherDigest] }),
        inCluster(otherBuild),
      ],
      {
        ...nothing,
        commitsBySha: new Map([[otherSha, 8n]]),
        digestOwners: new Map([[release.DIGEST, 7n]]),
      },
    );
    expect(decided.map((d) => [d?.commitId, d?.rule])).toEqual([
      [7n, "digest"],
      [8n, "digest"],
      [8n, "revision"],
    ]);
  });
});
