import { describe, expect, it } from "vitest";
import { normalizePipelineRun } from "./tekton";
import {
  fixtureText,
  loadJson,
  loadYaml,
  loadYamlDocs,
  one,
  pipelineRunFixture as pipelineRun,
} from "@/test/reference-fixtures";

const CHAINS_DIGEST = "sha256:827521c857fdcd4374f4da5442fbae2edb01e7fbae285c3ec15673d4c1daecb7";
const HARBOR_DIGEST = "sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4";
const APP_SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";
const MANIFESTS_SHA = "3f0c5a5e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

describe("PipelineRun", () => {
  it("the real testdata object as stored has no metadata.name: a typed error, not a throw", () => {
    const r = normalizePipelineRun(
      loadJson("tekton/testdata-pipelinerun-v1-status-childrefs.json"),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("missing-name");
      expect(r.error.message).toBe("PipelineRun: metadata.name is missing");
    }
  });

  it("reads the real succeeded run: times, results, digest, image, tasks from childReferences", () => {
    const o = one(normalizePipelineRun(pipelineRun()));
    expect(o).toMatchObject({
      key: "tekton:PipelineRun:ci/test-pipeline-run-x7k2p",
      system: "tekton",
      kind: "PipelineRun",
      stage: "pipeline",
      status: "succeeded",
      reason: "Succeeded",
      message: "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
      startedAt: "2021-03-29T09:50:00.000Z",
      finishedAt: "2021-03-29T09:50:15.000Z",
      // CHAINS-GIT_COMMIT is the placeholder "abcd": not a SHA, so no revision key.
      revision: null,
      digests: [CHAINS_DIGEST],
      manifestsRevisions: [],
      parent: null,
    });
    expect(o.imageRefs).toEqual([
      { registry: "test.io", repository: "test/image", tag: null, digest: CHAINS_DIGEST },
    ]);
    expect(o.details).toEqual({
      type: "pipeline",
      pipeline: "test-pipeline",
      tasks: [
        {
          name: "git-clone",
          status: "unknown",
          startedAt: null,
          finishedAt: null,
          kind: "TaskRun",
          runName: "git-clone",
        },
        {
          name: "build",
          status: "unknown",
          startedAt: null,
          finishedAt: null,
          kind: "TaskRun",
          runName: "taskrun-build",
        },
      ],
      results: [
        { name: "CHAINS-GIT_COMMIT", value: "abcd" },
        { name: "CHAINS-GIT_URL", value: "https://git.test.com" },
        { name: "IMAGE_URL", value: "test.io/test/image" },
        { name: "IMAGE_DIGEST", value: CHAINS_DIGEST },
      ],
    });
  });

  it("a real commit SHA in CHAINS-GIT_COMMIT becomes the revision, with CHAINS-GIT_URL", () => {
    const pr = pipelineRun();
    pr.status.results[0].value = APP_SHA;
    expect(one(normalizePipelineRun(pr)).revision).toEqual({
      sha: APP_SHA,
      repoUrl: "https://git.test.com",
      ref: null,
    });
  });

  it("feeds verify when labelled shiplog.dev/stage: verify, or when its pipeline is configured", () => {
    const labelled = pipelineRun();
    labelled.metadata.labels["shiplog.dev/stage"] = "verify";
    expect(one(normalizePipelineRun(labelled)).stage).toBe("verify");
    expect(
      one(normalizePipelineRun(pipelineRun(), { verifyPipelines: ["test-pipeline"] })).stage,
    ).toBe("verify");
    expect(one(normalizePipelineRun(pipelineRun(), { verifyPipelines: ["e2e"] })).stage).toBe(
      "pipeline",
    );
    const bogus = pipelineRun();
    bogus.metadata.labels["shiplog.dev/stage"] = "smoke";
    expect(one(normalizePipelineRun(bogus)).stage).toBe("pipeline");
  });

  it("finds the digest and image in a whole Harbor webhook body passed as one param", () => {
    const pr = pipelineRun();
    delete pr.status.results;
    pr.spec.params.push({
      name: "harbor-event",
      value: fixtureText("harbor/webhook-push-artifact-default.json"),
    });
    const o = one(normalizePipelineRun(pr));
    expect(o.digests).toEqual([HARBOR_DIGEST]);
    expect(o.imageRefs).toEqual([
      { registry: "test.io", repository: "test/image", tag: null, digest: null },
      { registry: "localhost", repository: "harbor/alpine", tag: null, digest: HARBOR_DIGEST },
    ]);
    // Param names are configurable: narrowed to others, the body is not searched.
    const narrowed = one(normalizePipelineRun(pr, { digestParams: ["image-digest"] }));
    expect(narrowed.digests).toEqual([]);
  });

  it("pairs a tag-named resource_url with its digest (zulip push body in a param)", () => {
    const pr = pipelineRun();
    delete pr.status.results;
    pr.spec.params = [{ name: "body", value: fixtureText("harbor/zulip-fixture-push-image.json") }];
    const digest = "sha256:d72f37f783ed6a8d58ac70b4db052707d1ec9d4ea010ef5ccd84652faf9ed844";
    const o = one(normalizePipelineRun(pr));
    expect(o.digests).toEqual([digest]);
    expect(o.imageRefs).toEqual([
      { registry: "harbor.example.com", repository: "example/test", tag: "latest", digest },
    ]);
  });

  it("reads a param value given as an object or array too", () => {
    const pr = pipelineRun();
    delete pr.status.results;
    pr.spec.params = [
      {
        name: "event",
        value: {
          data: {
            resources: [{ digest: HARBOR_DIGEST.toUpperCase().replace("SHA256", "sha256") }],
          },
        },
      },
      { name: "list", value: [`x@${CHAINS_DIGEST}`] },
    ];
    expect(one(normalizePipelineRun(pr)).digests).toEqual([HARBOR_DIGEST, CHAINS_DIGEST]);
  });

  it("takes the manifests commit from results named `commit`, or configured names", () => {
    const pr = pipelineRun();
    pr.status.results.push({ name: "commit", value: MANIFESTS_SHA });
    expect(one(normalizePipelineRun(pr)).manifestsRevisions).toEqual([
      { sha: MANIFESTS_SHA, repoUrl: null, ref: null },
    ]);
    const custom = pipelineRun();
    custom.status.results.push({ name: "manifests-sha", value: MANIFESTS_SHA.toUpperCase() });
    expect(one(normalizePipelineRun(custom)).manifestsRevisions).toEqual([]);
    expect(
      one(normalizePipelineRun(custom, { manifestsRevisionResults: ["manifests-sha"] }))
        .manifestsRevisions,
    ).toEqual([{ sha: MANIFESTS_SHA, repoUrl: null, ref: null }]);
  });

  it("shiplog.dev labels win: commit, image digest (annotation), app, environment", () => {
    const pr = pipelineRun();
    pr.metadata.labels["shiplog.dev/commit"] = APP_SHA;
    pr.metadata.labels["shiplog.dev/app"] = "payments";
    pr.metadata.labels["shiplog.dev/environment"] = "staging";
    pr.metadata.annotations = { "shiplog.dev/image-digest": HARBOR_DIGEST };
    const o = one(normalizePipelineRun(pr));
    expect(o.revision).toEqual({ sha: APP_SHA, repoUrl: "https://git.test.com", ref: null });
    expect(o.digests).toEqual([HARBOR_DIGEST]);
    expect(o.appHints).toEqual(["payments"]);
    expect(o.environment).toBe("staging");
  });

  it("ignores unknown fields", () => {
    const base = one(normalizePipelineRun(pipelineRun()));
    const pr = pipelineRun();
    pr.status.provenance = { featureFlags: { enableAPIFields: "beta" } };
    pr.status.newThing = [1];
    pr.spec.timeouts = { pipeline: "1h" };
    expect(one(normalizePipelineRun(pr))).toEqual(base);
  });

  it("reads the v1beta1 custom-task example (generateName only, once named) as pending with its spec tasks", () => {
    const pr = loadYaml("tekton/example-pipelinerun-custom-task.yaml");
    pr.metadata.name = "pr-custom-task-beta-abcde";
    const o = one(normalizePipelineRun(pr));
    expect(o.status).toBe("pending");
    expect(
      (o.details as { tasks: { name: string; status: string }[] }).tasks.map((t) => [
        t.name,
        t.status,
      ]),
    ).toEqual([
      ["before", "pending"],
      ["wait", "pending"],
      ["after", "pending"],
    ]);
  });

  it("reads the params example: pipelineRef name, no keys from numeric params", () => {
    const pr = loadYamlDocs("tekton/example-pipelinerun-with-params.yaml").find(
      (d) => d.kind === "PipelineRun",
    )!;
    const o = one(normalizePipelineRun(pr));
    expect(o).toMatchObject({
      name: "pipelinerun-with-params",
      status: "pending",
      revision: null,
      digests: [],
      imageRefs: [],
    });
    expect((o.details as { pipeline: string }).pipeline).toBe("pipeline-with-params");
  });
});
