import { describe, expect, it } from "vitest";
import { describeLink, shortRef } from "./linked-by";
import { argocdUrl, commitUrl, harborUrl, tektonUrl } from "./urls";

const DIGEST = "sha256:ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890";
const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

describe("describeLink", () => {
  it("writes each rule as the UI shows it", () => {
    expect(describeLink("digest", DIGEST)).toBe("digest sha256:ab12cd3");
    expect(describeLink("revision", SHA)).toBe("revision 1a2b3c4");
    expect(describeLink("manifests-revision", "9f8e7d6c5b4a")).toBe("manifests revision 9f8e7d6");
    expect(describeLink("label", "shiplog.dev/commit")).toBe("label shiplog.dev/commit");
    expect(describeLink("label", null)).toBe("label shiplog.dev/commit");
    expect(describeLink("parent", "tekton:PipelineRun:ci/release-x")).toBe(
      "PipelineRun ci/release-x",
    );
    expect(describeLink("parent", "ci/release-x")).toBe("PipelineRun ci/release-x");
    expect(describeLink("tag", "b27.20240506")).toBe("tag b27.20240506");
    expect(describeLink("task-result", "TaskRun ci/release-x-build")).toBe(
      "result of TaskRun ci/release-x-build",
    );
    expect(describeLink("tag", `shop/api:1.2 → ${DIGEST}`)).toBe(
      "tag shop/api:1.2 → sha256:ab12cd3",
    );
    expect(describeLink("label", SHA)).toBe("label shiplog.dev/commit");
    expect(describeLink("param", DIGEST)).toBe("param sha256:ab12cd3");
    expect(describeLink("images", DIGEST)).toBe("image sha256:ab12cd3");
    expect(describeLink("oci-revision", SHA)).toBe("OCI revision 1a2b3c4");
  });

  it("shows an unknown rule as written", () => {
    expect(describeLink("by-hand", SHA)).toBe("by-hand 1a2b3c4");
    expect(describeLink("by-hand", null)).toBe("by-hand");
  });

  it("shortRef leaves what is neither a digest nor a SHA alone", () => {
    expect(shortRef("main")).toBe("main");
    expect(shortRef("abc")).toBe("abc");
    expect(shortRef(DIGEST.toUpperCase().replace("SHA256", "sha256"))).toBe("sha256:ab12cd3");
  });
});

describe("deep links", () => {
  it("Tekton Dashboard, Argo CD and Harbor only when configured", () => {
    expect(tektonUrl({}, "PipelineRun", "ci", "r")).toBeNull();
    expect(tektonUrl({ tektonDashboard: "https://t.example/" }, "PipelineRun", "ci", "r")).toBe(
      "https://t.example/#/namespaces/ci/pipelineruns/r",
    );
    expect(tektonUrl({ tektonDashboard: "https://t.example" }, "CustomRun", "ci", "g")).toBe(
      "https://t.example/#/namespaces/ci/customruns/g",
    );
    expect(tektonUrl({ tektonDashboard: "https://t.example" }, "Build", "ci", "b")).toBeNull();
    expect(argocdUrl({ argocd: "https://a.example" }, "argocd", "web")).toBe(
      "https://a.example/applications/argocd/web",
    );
    expect(argocdUrl({ argocd: "  " }, "argocd", "web")).toBeNull();
    expect(harborUrl({ harbor: "https://h.example" }, "shop", "shop/pay/api", DIGEST)).toBe(
      `https://h.example/harbor/projects/shop/repositories/pay%2Fapi/artifacts-tab/artifacts/${DIGEST}`,
    );
  });

  it("a commit URL: the webhook's, else built for a repository on the configured forge", () => {
    expect(commitUrl({}, "https://x/c/1", null, SHA)).toBe("https://x/c/1");
    expect(commitUrl({}, null, "https://gitlab.example.com/shop/web", SHA)).toBeNull();
    expect(
      commitUrl(
        { gitHost: "https://gitlab.example.com" },
        null,
        "https://gitlab.example.com/shop/web.git",
        SHA,
      ),
    ).toBe(`https://gitlab.example.com/shop/web/-/commit/${SHA}`);
    expect(
      commitUrl({ gitHost: "https://github.com/" }, null, "https://github.com/shop/web", SHA),
    ).toBe(`https://github.com/shop/web/commit/${SHA}`);
    expect(
      commitUrl({ gitHost: "https://github.com" }, null, "https://gitlab.com/shop/web", SHA),
    ).toBeNull();
  });
});
