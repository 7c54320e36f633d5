import { describe, expect, it } from "vitest";
import {
  findDigests,
  formatImageRef,
  isoTime,
  normalizeDigest,
  normalizeRepoUrl,
  normalizeSha,
  parseImageRef,
} from "./refs";

const HEX = "954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4";
const D = `sha256:${HEX}`;

describe("digests", () => {
  it("accepts the spellings labels force on a digest, and nothing else", () => {
    for (const v of [
      D,
      `SHA256:${HEX.toUpperCase()}`,
      `sha256-${HEX}`,
      `sha256.${HEX}`,
      `sha256_${HEX}`,
      HEX,
      ` ${D} `,
    ]) {
      expect(normalizeDigest(v)).toBe(D);
    }
    for (const v of ["sha256:12345abcdef67890", `sha512:${HEX}`, `${D}x`, "", 42, null]) {
      expect(normalizeDigest(v)).toBeNull();
    }
  });

  it("finds every digest in a text, lower-cased, once", () => {
    const text = `{"digest":"${D}","resource_url":"h/r@${D}","other":"x@SHA256:${"A".repeat(64)}"}`;
    expect(findDigests(text)).toEqual([D, `sha256:${"a".repeat(64)}`]);
    expect(findDigests("no digest here sha256:abc")).toEqual([]);
  });
});

describe("SHAs and repository URLs", () => {
  it("a SHA is 7–64 hex; branches and placeholders are not", () => {
    expect(normalizeSha("EA8759964626A583667A2BFD08F334EC2070040A")).toBe(
      "ea8759964626a583667a2bfd08f334ec2070040a",
    );
    expect(normalizeSha("ea87599")).toBe("ea87599");
    for (const v of ["main", "abcd", "rev1", "sha:taskrun", "", "HEAD", 1234567])
      expect(normalizeSha(v)).toBeNull();
  });

  it("https, scp-style and ssh URLs of one repo give one key", () => {
    const key = "https://gitlab.example.com/shop/payments";
    for (const v of [
      "https://gitlab.example.com/shop/payments",
      "https://gitlab.example.com/Shop/Payments.git",
      "https://gitlab.example.com/shop/payments/",
      "git@gitlab.example.com:shop/payments.git",
      "ssh://git@gitlab.example.com/shop/payments.git",
      "https://user:token@gitlab.example.com/shop/payments.git",
    ]) {
      expect(normalizeRepoUrl(v)).toBe(key);
    }
    expect(normalizeRepoUrl("http://gitea.local:3000/a/b.git")).toBe("http://gitea.local:3000/a/b");
    expect(normalizeRepoUrl("")).toBeNull();
    expect(normalizeRepoUrl(null)).toBeNull();
  });
});

describe("image references", () => {
  it("parses registry, nested repository, tag and digest", () => {
    expect(parseImageRef("nginx:latest")).toEqual({
      registry: null,
      repository: "nginx",
      tag: "latest",
      digest: null,
    });
    expect(parseImageRef(`localhost:5000/harbor/alpine:3.8@${D}`)).toEqual({
      registry: "localhost:5000",
      repository: "harbor/alpine",
      tag: "3.8",
      digest: D,
    });
    expect(parseImageRef("harbor.xxx.xxxx.com/test/alpine/helm:3.8.1")).toEqual({
      registry: "harbor.xxx.xxxx.com",
      repository: "test/alpine/helm",
      tag: "3.8.1",
      digest: null,
    });
    expect(parseImageRef(`docker-pullable://gcr.io/test1/test1@${D}`)?.registry).toBe("gcr.io");
    expect(parseImageRef("sample/image")).toEqual({
      registry: null,
      repository: "sample/image",
      tag: null,
      digest: null,
    });
  });

  it("rejects text that is not an image ref", () => {
    for (const v of [
      "",
      "two words",
      "repo@sha256:short",
      "Tasks Completed: 2",
      "a/b:bad tag",
      7,
      null,
    ]) {
      expect(parseImageRef(v)).toBeNull();
    }
  });

  it("formats back", () => {
    expect(formatImageRef({ registry: "h.io", repository: "a/b", tag: "1", digest: D })).toBe(
      `h.io/a/b:1@${D}`,
    );
    expect(formatImageRef({ registry: null, repository: "nginx", tag: null, digest: null })).toBe(
      "nginx",
    );
  });
});

describe("times", () => {
  it("gives toISOString() form from RFC 3339 with offsets and unix seconds or ms", () => {
    expect(isoTime("2021-03-29T09:50:00Z")).toBe("2021-03-29T09:50:00.000Z");
    expect(isoTime("2019-05-15T15:20:30-04:00")).toBe("2019-05-15T19:20:30.000Z");
    expect(isoTime(1680501893)).toBe("2023-04-03T06:04:53.000Z");
    expect(isoTime(1680501893123)).toBe("2023-04-03T06:04:53.123Z");
    for (const v of ["", "yesterday", 0, -5, 1e20, null, {}]) expect(isoTime(v)).toBeNull();
  });
});
