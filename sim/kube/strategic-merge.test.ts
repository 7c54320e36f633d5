import { describe, expect, it } from "vitest";
import { applyStrategicMergePatch } from "./strategic-merge";

const pod = {
  metadata: { labels: { app: "web" }, finalizers: ["a", "b"] },
  spec: {
    containers: [
      {
        name: "step-build",
        image: "builder:1",
        command: ["build"],
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
      },
      { name: "step-push", image: "crane:1" },
    ],
    tolerations: [{ key: "x" }],
  },
};

describe("strategic merge patch (built-ins)", () => {
  it("merges lists with a merge key by that key and keeps the other fields", () => {
    const out = applyStrategicMergePatch(pod, {
      spec: {
        "$setElementOrder/containers": [{ name: "step-build" }, { name: "step-push" }],
        containers: [
          { name: "step-build", image: "builder:2", env: [{ name: "B", value: "3" }] },
          { name: "step-sign", image: "cosign" },
        ],
      },
    }) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual([
      "step-build",
      "step-push",
      "step-sign",
    ]);
    expect(out.spec.containers[0]).toEqual({
      name: "step-build",
      image: "builder:2",
      command: ["build"],
      env: [
        { name: "A", value: "1" },
        { name: "B", value: "3" },
      ],
    });
    expect(Object.keys(out.spec)).not.toContain("$setElementOrder/containers");
  });

  it("honours $patch: delete in lists, replaces lists without a merge key, and null deletes", () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { labels: { app: null, tier: "x" } },
      spec: { containers: [{ name: "step-push", $patch: "delete" }], tolerations: [{ key: "y" }] },
    }) as typeof pod;
    expect(out.metadata.labels).toEqual({ tier: "x" });
    expect(out.spec.containers.map((c) => c.name)).toEqual(["step-build"]);
    expect(out.spec.tolerations).toEqual([{ key: "y" }]);
  });

  it("handles $deleteFromPrimitiveList and $patch: replace", () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] },
      spec: { $patch: "replace", containers: [{ name: "only", image: "x" }] },
    }) as typeof pod;
    expect(out.metadata.finalizers).toEqual(["b"]);
    expect(out.spec).toEqual({ containers: [{ name: "only", image: "x" }] });
  });
});
