import { describe, expect, it } from "vitest";
import { normalizeHarborWebhook, normalizeResource } from "../sources";
import type { Observation } from "../sources/types";
import * as release from "@/test/scenarios/release";
import {
  appNameOf,
  applicationApps,
  decideLink,
  imageTagKeys,
  lookupKeys,
  parentKeyOf,
  type Facts,
} from "./correlate";

function one(result: ReturnType<typeof normalizeResource>): Observation {
  if (!result.ok) throw result.error;
  return result.observations[0];
}

const empty: Facts = {
  commitsBySha: new Map(),
  digestOwners: new Map(),
  tagDigests: new Map(),
  manifestsOwners: new Map(),
  parents: new Map(),
};

describe("lookupKeys", () => {
  it("a Build looks up its commit, never its own digest (it is where the digest comes from)", () => {
    const keys = lookupKeys(one(normalizeResource(release.build())));
    expect(keys).toEqual({
      shas: [release.SHA],
      digests: [],
      tags: [],
      manifests: [],
      parentKey: null,
    });
  });

  it("a PipelineRun looks up the digest inside the Harbor body it was given", () => {
    const keys = lookupKeys(one(normalizeResource(release.pipelineRun())));
    expect(keys.digests).toEqual([release.DIGEST]);
  });

  it("a TaskRun looks up its PipelineRun", () => {
    const obs = one(normalizeResource(release.gitCliTaskRun()));
    expect(parentKeyOf(obs)).toBe("tekton:PipelineRun:ci/promote-payments-x7k2p");
    expect(lookupKeys(obs).parentKey).toBe("tekton:PipelineRun:ci/promote-payments-x7k2p");
  });

  it("an Application looks up its manifests revision and the images it runs by tag", () => {
    const obs = one(
      normalizeResource(
        release.application("payments-staging", "1", ["harbor.example.com/shop/payments:1.4.0"]),
      ),
    );
    expect(lookupKeys(obs).manifests).toEqual([release.MANIFESTS]);
    expect(imageTagKeys(obs)).toEqual(["shop/payments:1.4.0"]);
  });
});

describe("decideLink", () => {
  const build = one(normalizeResource(release.build()));
  const pipelineRun = one(normalizeResource(release.pipelineRun()));
  const taskRun = one(normalizeResource(release.gitCliTaskRun()));
  const app = one(
    normalizeResource(
      release.application("payments-staging", "1", ["harbor.example.com/shop/payments:1.4.0"]),
    ),
  );

  it("links nothing while no fact is known", () => {
    for (const obs of [build, pipelineRun, taskRun, app]) expect(decideLink(obs, empty)).toBeNull();
  });

  it("links a Build by the revision it builds", () => {
    expect(decideLink(build, { ...empty, commitsBySha: new Map([[release.SHA, 7n]]) })).toEqual({
      commitId: 7n,
      rule: "revision",
      evidence: release.SHA,
    });
  });

  it("calls it a label when shiplog.dev/commit named the commit", () => {
    const labelled = release.pipelineRun();
    labelled.metadata.labels["shiplog.dev/commit"] = release.SHA;
    const obs = one(normalizeResource(labelled));
    expect(decideLink(obs, { ...empty, commitsBySha: new Map([[release.SHA, 7n]]) })?.rule).toBe(
      "label",
    );
  });

  it("links a PipelineRun by a digest whose Build is linked", () => {
    expect(
      decideLink(pipelineRun, { ...empty, digestOwners: new Map([[release.DIGEST, 7n]]) }),
    ).toEqual({
      commitId: 7n,
      rule: "digest",
      evidence: release.DIGEST,
    });
  });

  it("links a TaskRun through its PipelineRun", () => {
    const parents = new Map([["tekton:PipelineRun:ci/promote-payments-x7k2p", 7n]]);
    expect(decideLink(taskRun, { ...empty, parents })?.rule).toBe("parent");
  });

  it("prefers the manifests revision over an image tag, and resolves a tag through Harbor", () => {
    const byTag: Facts = {
      ...empty,
      tagDigests: new Map([["shop/payments:1.4.0", release.DIGEST]]),
      digestOwners: new Map([[release.DIGEST, 7n]]),
    };
    expect(decideLink(app, byTag)).toEqual({
      commitId: 7n,
      rule: "tag",
      evidence: `shop/payments:1.4.0 → ${release.DIGEST}`,
    });
    const owners = new Map([[release.MANIFESTS, [{ commitId: 7n, app: "payments" }]]]);
    expect(decideLink(app, { ...byTag, manifestsOwners: owners })?.rule).toBe("manifests-revision");
  });

  it("links a Harbor artifact by its digest", () => {
    const result = normalizeHarborWebhook(release.harborPush());
    if (!result.ok) throw result.error;
    expect(
      decideLink(result.observations[0], {
        ...empty,
        digestOwners: new Map([[release.DIGEST, 3n]]),
      })?.rule,
    ).toBe("digest");
  });
});

describe("Argo CD Applications", () => {
  const synced = one(
    normalizeResource(
      release.application("payments-staging", "1", [
        `harbor.example.com/shop/payments@${release.DIGEST}`,
      ]),
    ),
  );
  const digestOwners = new Map([[release.DIGEST, 7n]]);

  it("link by a manifests revision only to a pipeline of the same app (the manifests repo is shared)", () => {
    const otherApp = new Map([[release.MANIFESTS, [{ commitId: 9n, app: "search" }]]]);
    expect(decideLink(synced, { ...empty, manifestsOwners: otherApp })).toBeNull();
    const both = new Map([
      [
        release.MANIFESTS,
        [
          { commitId: 9n, app: "search" },
          { commitId: 7n, app: "payments" },
        ],
      ],
    ]);
    expect(decideLink(synced, { ...empty, manifestsOwners: both })).toEqual({
      commitId: 7n,
      rule: "manifests-revision",
      evidence: release.MANIFESTS,
    });
  });

  it("trust the images they run only after this revision synced", () => {
    expect(decideLink(synced, { ...empty, digestOwners })?.rule).toBe("digest");
    const failed = release.application("payments-staging", "1", [
      `harbor.example.com/shop/payments@${release.DIGEST}`,
    ]);
    failed.status.operationState.phase = "Failed";
    expect(decideLink(one(normalizeResource(failed)), { ...empty, digestOwners })).toBeNull();
    const syncing = release.application("payments-staging", "1", [
      `harbor.example.com/shop/payments@${release.DIGEST}`,
    ]);
    syncing.status.operationState.phase = "Running";
    syncing.status.sync.status = "OutOfSync";
    expect(decideLink(one(normalizeResource(syncing)), { ...empty, digestOwners })).toBeNull();
  });

  it("name the apps they may deploy", () => {
    expect(applicationApps(synced)).toEqual(
      expect.arrayContaining(["payments-staging", "payments"]),
    );
  });
});

describe("appNameOf", () => {
  it("names the app after its repository, unless a label says otherwise", () => {
    expect(appNameOf(one(normalizeResource(release.build())))).toBe("payments");
    const labelled = release.build();
    labelled.metadata.labels["shiplog.dev/app"] = "payments-api";
    expect(appNameOf(one(normalizeResource(labelled)))).toBe("payments-api");
  });
});
