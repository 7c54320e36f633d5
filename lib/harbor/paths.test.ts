// The Harbor client's URLs: double-encoded repository names, list queries and Harbor's Link header.
import { describe, expect, it } from "vitest";
import { BadInput, Upstream } from "../errors";
import { HarborClient } from "./client";
import {
  apiUrl,
  describePath,
  encodeRepositoryName,
  harborRoot,
  listQuery,
  nextLink,
  paths,
  resolveLink,
  splitRepositoryName,
} from "./paths";

const root = harborRoot("https://harbor.example.com");
const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("repository names", () => {
  it("encodes a name with slashes twice, a plain name as it is", () => {
    expect(encodeRepositoryName("a/b")).toBe("a%252Fb");
    expect(encodeRepositoryName("team/app/api")).toBe("team%252Fapp%252Fapi");
    expect(encodeRepositoryName("payments")).toBe("payments");
  });

  it("splits a full name at the project: the path wants the rest", () => {
    expect(splitRepositoryName("project/a/b")).toEqual({ project: "project", repository: "a/b" });
    expect(splitRepositoryName("shop/payments")).toEqual({
      project: "shop",
      repository: "payments",
    });
    for (const bad of ["payments", "/payments", "shop/", ""])
      expect(() => splitRepositoryName(bad)).toThrow(BadInput);
  });

  it("builds artifact paths with the repository inside its project", () => {
    expect(paths.artifacts("shiplog", "team/app")).toBe(
      "/projects/shiplog/repositories/team%252Fapp/artifacts",
    );
    expect(paths.artifact("shiplog", "team/app", DIGEST)).toBe(
      `/projects/shiplog/repositories/team%252Fapp/artifacts/${DIGEST}`,
    );
    expect(paths.artifact("shop", "payments", "1.4.0")).toBe(
      "/projects/shop/repositories/payments/artifacts/1.4.0",
    );
    expect(paths.repositories("my project")).toBe("/projects/my%20project/repositories");
    expect(() => paths.artifacts("shop", "")).toThrow(BadInput);
    expect(() => paths.artifact("shop", "payments", "")).toThrow(BadInput);
  });
});

describe("URLs", () => {
  it("puts the API under the configured URL, with or without /api/v2.0 or a proxy's prefix", () => {
    const path = paths.artifacts("shiplog", "team/app");
    expect(apiUrl(root, path).href).toBe(
      "https://harbor.example.com/api/v2.0/projects/shiplog/repositories/team%252Fapp/artifacts",
    );
    for (const url of ["https://harbor.example.com/", "https://harbor.example.com/api/v2.0/"])
      expect(apiUrl(harborRoot(url), "/projects").href).toBe(
        "https://harbor.example.com/api/v2.0/projects",
      );
    expect(apiUrl(harborRoot("http://proxy:8080/harbor/"), "/projects").href).toBe(
      "http://proxy:8080/harbor/api/v2.0/projects",
    );
  });

  it("asks for a page, 100 items by default, tags and scan overview when told", () => {
    expect(listQuery({}).toString()).toBe("page=1&page_size=100");
    expect(
      listQuery({ page: 3, pageSize: 2, withTag: true, withScanOverview: true }).toString(),
    ).toBe("page=3&page_size=2&with_tag=true&with_scan_overview=true");
    for (const bad of [{ page: 0 }, { pageSize: 101 }, { pageSize: 0 }, { page: 1.5 }])
      expect(() => listQuery(bad)).toThrow(BadInput);
  });

  it("names a request by its path under /api/v2.0", () => {
    const url = apiUrl(root, paths.artifacts("shiplog", "team/app"), listQuery({ page: 2 }));
    expect(describePath(root, url)).toBe(
      "/projects/shiplog/repositories/team%252Fapp/artifacts?page=2&page_size=100",
    );
  });

  it("keeps credentials out of the client's URL and knows Harbor's host", () => {
    const client = new HarborClient({ url: "https://robot:secret@harbor.example.com:8443/" });
    expect(client.url).toBe("https://harbor.example.com:8443");
    expect(client.host).toBe("harbor.example.com:8443");
  });
});

describe("Harbor's Link header", () => {
  const APP = "/api/v2.0/projects/shiplog/repositories/team%252Fapp/artifacts";

  it("finds rel=next among prev and next, and nothing on the last page", () => {
    const both =
      `<${APP}?page=1&page_size=1&with_tag=true>; rel="prev" , ` +
      `<${APP}?page=3&page_size=1&with_tag=true>; rel="next"`;
    expect(nextLink(both)).toBe(`${APP}?page=3&page_size=1&with_tag=true`);
    expect(nextLink(`<${APP}?page=2&page_size=2>; rel="next"`)).toBe(`${APP}?page=2&page_size=2`);
    expect(nextLink(`<${APP}?page=1&page_size=2>; rel="prev"`)).toBeNull();
    expect(nextLink(null)).toBeNull();
    expect(nextLink("garbage")).toBeNull();
  });

  it("reads a target whose unescaped query holds commas", () => {
    expect(nextLink(`<${APP}?page=2&q=tags=(a,b)>; rel=next`)).toBe(`${APP}?page=2&q=tags=(a,b)`);
  });

  it("resolves Harbor's paths under the configured root and refuses other origins", () => {
    expect(resolveLink(root, `${APP}?page=2`).href).toBe(`https://harbor.example.com${APP}?page=2`);
    const proxied = harborRoot("http://proxy:8080/harbor");
    expect(resolveLink(proxied, `${APP}?page=2`).href).toBe(
      `http://proxy:8080/harbor${APP}?page=2`,
    );
    expect(resolveLink(root, `https://harbor.example.com${APP}`).pathname).toBe(APP);
    expect(() => resolveLink(root, "https://elsewhere.example.com/steal")).toThrow(Upstream);
    expect(() => resolveLink(root, "//elsewhere.example.com/steal")).toThrow(Upstream);
  });
});
