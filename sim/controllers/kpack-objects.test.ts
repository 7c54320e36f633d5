import { describe, expect, it } from "vitest";
import { normalizeBuild } from "@/lib/sources/kpack";
import type { KubeObject } from "../kube";
import { resolveScenario } from "../scenario/config";
import { buildObject, generateTags, imageObject, joinReasons } from "./kpack-objects";

const cfg = resolveScenario();
const app = cfg.apps[0];

function image(): KubeObject {
  const img = imageObject(cfg, app);
  img.metadata = { ...img.metadata, uid: "uid-image", generation: 1 };
  return img;
}

describe("kpack objects", () => {
  it("tags builds as kpack's generateTags does", () => {
    const at = new Date("2026-11-25T10:15:00Z");
    expect(generateTags("harbor.shiplog.test/shop/payments", 3, at)).toEqual([
      "harbor.shiplog.test/shop/payments",
      "harbor.shiplog.test/shop/payments:b3.20261125.101500",
    ]);
    expect(generateTags("reg:5000/shop/payments:v1", 3, at)).toEqual([
      "reg:5000/shop/payments:v1",
      "reg:5000/shop/payments:v1-b3.20261125.101500",
    ]);
    expect(joinReasons(["TRIGGER", "COMMIT"])).toBe("COMMIT,TRIGGER");
  });

  it("makes Build n with kpack's name, labels, annotations, owner and the commit as revision", () => {
    const sha = "9f2c1e7a".repeat(5);
    const b = buildObject({
      image: image(),
      number: 2,
      revision: sha,
      reasons: ["COMMIT"],
      changes: [{ reason: "COMMIT", old: "a".repeat(40), new: sha }],
      at: new Date("2026-11-25T10:15:00Z"),
      builderImage: "harbor.shiplog.test/kpack/builder@sha256:" + "0".repeat(64),
    });
    expect(b.metadata).toMatchObject({
      name: "payments-build-2",
      namespace: "apps",
      labels: {
        "image.kpack.io/image": "payments",
        "image.kpack.io/buildNumber": "2",
        "image.kpack.io/imageGeneration": "1",
      },
      annotations: {
        "image.kpack.io/reason": "COMMIT",
        "image.kpack.io/builderName": "default",
        "image.kpack.io/builderKind": "ClusterBuilder",
      },
      ownerReferences: [{ kind: "Image", name: "payments", uid: "uid-image", controller: true }],
    });
    expect(JSON.parse(b.metadata.annotations!["image.kpack.io/buildChanges"])).toEqual([
      { reason: "COMMIT", old: "a".repeat(40), new: sha },
    ]);
    expect(b.spec).toMatchObject({
      source: { git: { url: "https://gitlab.example.com/shop/payments.git", revision: sha } },
    });

    // What Shiplog reads from it once it succeeded.
    const digest = "sha256:" + "ab".repeat(32);
    b.status = {
      conditions: [
        { type: "Succeeded", status: "True", lastTransitionTime: "2026-11-25T10:16:00Z" },
      ],
      latestImage: `harbor.shiplog.test/shop/payments@${digest}`,
    };
    const res = normalizeBuild(b);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const o = res.observations[0];
    expect(o.revision?.sha).toBe(sha);
    expect(o.revision?.repoUrl).toBe("https://gitlab.example.com/shop/payments");
    expect(o.digests).toEqual([digest]);
    expect(o.status).toBe("succeeded");
    expect(o.details).toMatchObject({ type: "build", buildNumber: 2, reason: "COMMIT" });
  });
});
