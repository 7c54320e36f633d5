import { describe, expect, it } from "vitest";
import { normalizeBuild, normalizeImage } from "./kpack";
import { loadYaml, loadYamlDocs, type Obj, one } from "@/test/reference-fixtures";

const DIGEST = "sha256:d3eb15a6fd25cb79039594294419de2328f14b443fa0546fa9e16f5214d61686";
const SHA = "0eccc6c2f01d9f055087ebbf03526ed0623e014a";

/** sample-build.yaml as kpack would have it after an Image created it and it finished. */
function finishedBuild(condition: Obj | null): Obj {
  const b = loadYaml("kpack/sample-build.yaml");
  b.metadata = {
    ...b.metadata,
    name: "sample-build-27",
    namespace: "apps",
    uid: "0b0f2d6c-5f2a-4a8e-9d0e-2c1f5c3e7a11",
    resourceVersion: "4411",
    creationTimestamp: "2024-05-06T10:14:00Z",
    labels: { "image.kpack.io/image": "sample", "image.kpack.io/buildNumber": "27" },
    annotations: { "image.kpack.io/reason": "COMMIT,BUILDPACK" },
  };
  b.spec.source.git.revision = SHA;
  b.status = {
    latestImage: `index.docker.io/sample/image@${DIGEST}`,
    podName: "sample-build-27-build-pod",
    stepsCompleted: ["prepare", "detect", "analyze", "restore", "build", "export"],
    conditions: condition ? [condition] : [],
  };
  return b;
}

describe("kpack Build", () => {
  it("reads the real sample Build (no status yet) as pending, with no revision for a branch", () => {
    const o = one(normalizeBuild(loadYaml("kpack/sample-build.yaml")));
    expect(o).toMatchObject({
      key: "kpack:Build:/sample",
      system: "kpack",
      kind: "Build",
      apiVersion: "kpack.io/v1alpha2",
      name: "sample",
      namespace: null,
      stage: "build",
      status: "pending",
      startedAt: null,
      finishedAt: null,
      revision: null,
      digests: [],
      imageRefs: [{ registry: null, repository: "sample/image", tag: null, digest: null }],
    });
    expect(o.details).toEqual({
      type: "build",
      image: "sample/image",
      digest: null,
      buildNumber: null,
      reason: null,
      tags: ["sample/image"],
      source: { url: "https://github.com/buildpack/sample-java-app.git", revision: "main" },
      podName: null,
      stepsCompleted: [],
    });
  });

  it("a succeeded Build carries commit, digest, build number and reason", () => {
    const o = one(
      normalizeBuild(
        finishedBuild({
          type: "Succeeded",
          status: "True",
          lastTransitionTime: "2024-05-06T10:15:40Z",
        }),
      ),
    );
    expect(o.status).toBe("succeeded");
    expect(o.key).toBe("kpack:Build:apps/sample-build-27");
    expect(o.uid).toBe("0b0f2d6c-5f2a-4a8e-9d0e-2c1f5c3e7a11");
    expect(o.resourceVersion).toBe("4411");
    expect(o.startedAt).toBe("2024-05-06T10:14:00.000Z");
    expect(o.finishedAt).toBe("2024-05-06T10:15:40.000Z");
    expect(o.revision).toEqual({
      sha: SHA,
      repoUrl: "https://github.com/buildpack/sample-java-app",
      ref: null,
    });
    expect(o.digests).toEqual([DIGEST]);
    expect(o.imageRefs[0]).toEqual({
      registry: "index.docker.io",
      repository: "sample/image",
      tag: null,
      digest: DIGEST,
    });
    expect(o.appHints).toEqual(["sample"]);
    expect(o.details).toMatchObject({
      digest: DIGEST,
      buildNumber: 27,
      reason: "COMMIT,BUILDPACK",
    });
    expect(o.details).toMatchObject({ podName: "sample-build-27-build-pod" });
  });

  it("Unknown is running, with no finish time", () => {
    const o = one(
      normalizeBuild(
        finishedBuild({
          type: "Succeeded",
          status: "Unknown",
          lastTransitionTime: "2024-05-06T10:14:05Z",
        }),
      ),
    );
    expect(o.status).toBe("running");
    expect(o.finishedAt).toBeNull();
  });

  it("False is failed with the condition's reason and message", () => {
    const o = one(
      normalizeBuild(
        finishedBuild({
          type: "Succeeded",
          status: "False",
          reason: "StepFailed",
          message: "step build exited 51",
          lastTransitionTime: "2024-05-06T10:15:00Z",
        }),
      ),
    );
    expect(o).toMatchObject({
      status: "failed",
      reason: "StepFailed",
      message: "step build exited 51",
    });
    expect(o.finishedAt).toBe("2024-05-06T10:15:00.000Z");
  });

  it("a status without a Succeeded condition is pending", () => {
    expect(one(normalizeBuild(finishedBuild(null))).status).toBe("pending");
  });

  it("shiplog.dev labels (and the digest annotation) win over derived keys", () => {
    const b = finishedBuild({ type: "Succeeded", status: "True" });
    const other = "a".repeat(64);
    b.metadata.labels["shiplog.dev/commit"] = "1111111111111111111111111111111111111111";
    b.metadata.labels["shiplog.dev/app"] = "payments";
    b.metadata.annotations["shiplog.dev/image-digest"] = `sha256:${other}`;
    const o = one(normalizeBuild(b));
    expect(o.revision?.sha).toBe("1111111111111111111111111111111111111111");
    expect(o.revision?.repoUrl).toBe("https://github.com/buildpack/sample-java-app");
    expect(o.digests).toEqual([`sha256:${other}`]);
    expect(o.appHints).toEqual(["payments", "sample"]);
    expect(o.labels).toEqual({
      commit: "1111111111111111111111111111111111111111",
      app: "payments",
      imageDigest: `sha256:${other}`,
      stage: null,
      environment: null,
    });
  });

  it("ignores unknown fields", () => {
    const b = finishedBuild({
      type: "Succeeded",
      status: "True",
      lastTransitionTime: "2024-05-06T10:15:40Z",
    });
    const base = one(normalizeBuild(b));
    b.status.somethingNew = { nested: [1, 2] };
    b.spec.futureField = "x";
    b.status.conditions.push({ type: "Ready", status: "False" });
    expect(one(normalizeBuild(b))).toEqual(base);
  });

  it("wrongly typed fields degrade to null instead of throwing", () => {
    const b = finishedBuild({ type: "Succeeded", status: "True" });
    b.status.latestImage = 42;
    b.spec.tags = "not-a-list";
    b.metadata.labels["image.kpack.io/buildNumber"] = "x";
    const o = one(normalizeBuild(b));
    expect(o.digests).toEqual([]);
    expect(o.details).toMatchObject({ image: null, tags: [], buildNumber: null, digest: null });
  });

  it("garbage gives typed errors", () => {
    for (const [input, code] of [
      [null, "not-an-object"],
      ["Build", "not-an-object"],
      [[1], "not-an-object"],
      [{ kind: "Build", metadata: {} }, "missing-name"],
      [{ kind: "Build" }, "missing-name"],
    ] as const) {
      const r = normalizeBuild(input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.system).toBe("kpack");
      }
    }
  });
});

describe("kpack Image", () => {
  it("reads the real samples as context: no stage, a revision only for a SHA", () => {
    const [branch, bySha, byTag] = loadYamlDocs("kpack/sample-image-from-git.yaml").map((d) =>
      one(normalizeImage(d)),
    );
    expect(branch).toMatchObject({
      kind: "Image",
      name: "sample-1",
      stage: null,
      status: "pending",
      revision: null,
      appHints: ["sample-1"],
      imageRefs: [{ registry: null, repository: "sample/image-from-git", tag: null, digest: null }],
    });
    expect(bySha.revision).toEqual({
      sha: SHA,
      repoUrl: "https://github.com/buildpack/sample-java-app",
      ref: null,
    });
    expect(byTag.revision).toBeNull();
    expect(byTag.details).toMatchObject({
      type: "kpack-image",
      tag: "sample/image-from-git-tag",
      source: { url: "https://github.com/buildpack/sample-java-app.git", revision: "sample-0.0.1" },
    });
  });

  it("a Ready Image carries its latest digest and build", () => {
    const img = loadYamlDocs("kpack/sample-image-from-git.yaml")[0];
    img.status = {
      conditions: [{ type: "Ready", status: "True", reason: "UpToDate" }],
      latestImage: `index.docker.io/sample/image-from-git@${DIGEST}`,
      latestBuildRef: "sample-1-build-3",
      buildCounter: 3,
      latestBuildReason: "COMMIT",
    };
    const o = one(normalizeImage(img));
    expect(o.status).toBe("succeeded");
    expect(o.digests).toEqual([DIGEST]);
    expect(o.details).toMatchObject({
      latestBuildRef: "sample-1-build-3",
      buildCounter: 3,
      latestBuildReason: "COMMIT",
    });
  });

  it("Ready Unknown with BuildRunning reads as running", () => {
    const img = loadYamlDocs("kpack/sample-image-from-git.yaml")[0];
    img.status = { conditions: [{ type: "Ready", status: "Unknown", reason: "BuildRunning" }] };
    expect(one(normalizeImage(img))).toMatchObject({ status: "running", reason: "BuildRunning" });
  });
});
