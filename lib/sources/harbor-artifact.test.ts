import { describe, expect, it } from "vitest";
import { normalizeHarborArtifact } from "./harbor";
import { all, loadJson } from "@/test/reference-fixtures";
import type { ImageDetails, Observation, ScanDetails } from "./types";

const API = "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";

const scan = (o: Observation) => o.details as ScanDetails;
const image = (o: Observation) => o.details as ImageDetails;

describe("Harbor API artifact", () => {
  const artifact = () => loadJson("harbor/api-artifact-with-scan.json");

  it("gives the image (tags, push time, signature, commit from OCI labels) and its scan", () => {
    const [img, sc] = all(normalizeHarborArtifact(artifact(), { registry: "harbor.example.com" }));
    expect(img).toMatchObject({
      key: `harbor:Artifact:shop/payments/api@${API}`,
      repository: "shop/payments/api",
      namespace: "shop",
      stage: "image",
      status: "succeeded",
      startedAt: "2024-05-06T10:15:42.123Z",
      revision: {
        sha: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
        repoUrl: "https://gitlab.example.com/shop/payments",
        ref: null,
      },
      imageRefs: [
        {
          registry: "harbor.example.com",
          repository: "shop/payments/api",
          tag: "b27.20240506.101530",
          digest: API,
        },
      ],
    });
    expect(image(img)).toMatchObject({
      tags: ["b27.20240506.101530", "latest"],
      signed: true,
      deleted: false,
    });
    expect(sc).toMatchObject({
      key: `harbor:Scan:shop/payments/api@${API}`,
      stage: "scan",
      status: "succeeded",
    });
    expect(scan(sc)).toMatchObject({
      severity: "critical",
      counts: { critical: 1, high: 2, medium: 3, low: 2, unknown: 1 },
      total: 9,
      fixable: 6,
      scanner: { name: "Trivy", vendor: "Aqua Security", version: "v0.50.1" },
    });
  });

  it("OCI revision labels are read first; no accessories list means unknown signing", () => {
    const a = artifact();
    a.extra_attrs.config.Labels["org.opencontainers.image.revision"] =
      "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327";
    a.extra_attrs.config.Labels["org.opencontainers.image.source"] =
      "https://github.com/Octo-Shop/payments";
    delete a.accessories;
    const [img] = all(normalizeHarborArtifact(a));
    expect(img.revision).toEqual({
      sha: "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
      repoUrl: "https://github.com/octo-shop/payments",
      ref: null,
    });
    expect(image(img).signed).toBeNull();
    expect(img.imageRefs[0].registry).toBeNull();
  });

  it("an empty accessories list is unsigned; a running scan is running; no scan_overview, no scan", () => {
    const a = artifact();
    a.accessories = [];
    a.scan_overview["application/vnd.security.vulnerability.report; version=1.1"].scan_status =
      "Running";
    const [img, sc] = all(normalizeHarborArtifact(a));
    expect(image(img).signed).toBe(false);
    expect(sc).toMatchObject({ status: "running", finishedAt: null });
    delete a.scan_overview;
    expect(all(normalizeHarborArtifact(a))).toHaveLength(1);
  });

  it("a malformed artifact is a typed error", () => {
    const r = normalizeHarborArtifact({ digest: "latest", repository_name: "shop/x" });
    expect(r.ok ? null : r.error.issues).toEqual(["digest: expected a sha256:<64 hex> digest"]);
    const noRepo = normalizeHarborArtifact({ digest: API });
    expect(noRepo.ok ? null : noRepo.error.issues).toEqual(["repository_name: required"]);
  });
});
