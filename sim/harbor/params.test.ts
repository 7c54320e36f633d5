// Routing, parameter binding and pagination links, as Harbor core does them.
import { describe, expect, it } from "vitest";
import { HarborError } from "./errors";
import { paginationLinks, parseQ, readBool, readPaging } from "./params";
import { decodePath, decodeRepositoryName, matchRoute, type Route } from "./router";
import {
  DEFAULT_ACCEPT_VULNERABILITIES,
  NATIVE_REPORT_MIME,
  VULN_REPORT_MIME,
  overviewMimeType,
} from "./scan-summary";
import { encodeRepositoryName } from "./views";

function failure(fn: () => unknown): HarborError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HarborError) return err;
    throw err;
  }
  throw new Error("expected a HarborError");
}

const routes: Route<string>[] = [
  {
    method: "GET",
    pattern: "/projects/:project_name/repositories/:repository_name",
    handler: "repo",
  },
  {
    method: "GET",
    pattern: "/projects/:project_name/repositories/:repository_name/artifacts",
    handler: "list",
  },
  {
    method: "POST",
    pattern: "/projects/:project_name/repositories/:repository_name/artifacts/:reference/scan",
    handler: "scan",
  },
];

describe("repository names with a slash", () => {
  it("match when encoded twice, as swagger parameters.repositoryName asks", () => {
    const path = decodePath("/api/v2.0/projects/shiplog/repositories/team%252Fapp/artifacts");
    const match = matchRoute(routes, "GET", path);
    expect(match.kind).toBe("found");
    if (match.kind !== "found") return;
    expect(match.route.handler).toBe("list");
    expect(decodeRepositoryName(match.params.repository_name)).toBe("team/app");
  });

  it("do not match when encoded once or not at all: the path gains a segment", () => {
    for (const raw of [
      "/api/v2.0/projects/shiplog/repositories/team%2Fapp/artifacts",
      "/api/v2.0/projects/shiplog/repositories/team/app/artifacts",
    ]) {
      expect(matchRoute(routes, "GET", decodePath(raw)).kind).toBe("not-found");
    }
  });

  it("are written encoded twice in Harbor's own links", () => {
    expect(encodeRepositoryName("team/app")).toBe("team%252Fapp");
    expect(encodeRepositoryName("app")).toBe("app");
  });

  it("tells a wrong method from a wrong path", () => {
    const path = decodePath("/api/v2.0/projects/p/repositories/app/artifacts/v1/scan");
    expect(matchRoute(routes, "GET", path)).toEqual({
      kind: "method-not-allowed",
      allowed: ["POST"],
    });
    expect(matchRoute(routes, "GET", "/v2/_catalog").kind).toBe("not-found");
    expect(failure(() => decodePath("/api/v2.0/projects/%zz")).status).toBe(400);
  });
});

describe("query parameters", () => {
  it("binds page and page_size with go-swagger's defaults and limits", () => {
    expect(readPaging(new URLSearchParams(""))).toEqual({ page: 1, pageSize: 10 });
    expect(readPaging(new URLSearchParams("page=3&page_size=100"))).toEqual({
      page: 3,
      pageSize: 100,
    });
    const tooBig = failure(() => readPaging(new URLSearchParams("page_size=101")));
    expect(tooBig.status).toBe(422);
    expect(tooBig.body()).toEqual({
      errors: [
        {
          code: "UNPROCESSABLE_ENTITY",
          message:
            "validation failure list:\npage_size in query should be less than or equal to 100",
        },
      ],
    });
    const notNumbers = failure(() => readPaging(new URLSearchParams("page=one&page_size=x")));
    expect(notNumbers.message).toBe(
      'validation failure list:\npage in query must be of type int64: "one"\npage_size in query must be of type int64: "x"',
    );
  });

  it("reads booleans like swag.ConvertBool", () => {
    const query = new URLSearchParams("a=true&b=1&c=false&d=maybe&e=");
    expect([readBool(query, "a", false), readBool(query, "b", false)]).toEqual([true, true]);
    expect([readBool(query, "c", true), readBool(query, "d", true)]).toEqual([false, false]);
    expect([readBool(query, "e", true), readBool(query, "missing", true)]).toEqual([true, true]);
  });

  it("parses q like src/lib/q and refuses bad syntax with 400", () => {
    expect(parseQ("tags=*,digest=~sha256")).toEqual(
      new Map([
        ["tags", { kind: "exact", value: "*" }],
        ["digest", { kind: "fuzzy", value: "sha256" }],
      ]),
    );
    expect(parseQ("tags%3Dnil").get("tags")).toEqual({ kind: "exact", value: "nil" });
    expect(parseQ("name={a b}").get("name")).toEqual({ kind: "or", values: ["a", "b"] });
    const noEquals = failure(() => parseQ("tags"));
    expect(noEquals.status).toBe(400);
    expect(noEquals.body().errors[0]).toEqual({
      code: "BAD_REQUEST",
      message: 'the query string must contain "=" and the key/value cannot be empty',
    });
    expect(failure(() => parseQ("push_time=[2024")).message).toBe(
      "invalid query string value: [2024",
    );
  });
});

describe("pagination Link header", () => {
  const path = "/api/v2.0/projects/shiplog/repositories/team%252Fapp/artifacts";

  it("links the previous and next pages with sorted, unescaped query parameters", () => {
    const query = new URLSearchParams("with_tag=true&page=2&page_size=2&q=tags%3D*");
    expect(paginationLinks(path, query, 5, { page: 2, pageSize: 2 })).toBe(
      `<${path}?page=1&page_size=2&q=tags=*&with_tag=true>; rel="prev" , ` +
        `<${path}?page=3&page_size=2&q=tags=*&with_tag=true>; rel="next"`,
    );
  });

  it("fills in page_size, and is empty when everything fits on one page", () => {
    expect(paginationLinks(path, new URLSearchParams(""), 11, { page: 1, pageSize: 10 })).toBe(
      `<${path}?page=2&page_size=10>; rel="next"`,
    );
    expect(paginationLinks(path, new URLSearchParams(""), 10, { page: 1, pageSize: 10 })).toBe("");
    expect(paginationLinks(path, new URLSearchParams(""), 3, { page: 5, pageSize: 10 })).toBe("");
  });
});

describe("X-Accept-Vulnerabilities", () => {
  it("keys the scan overview by the first supported type", () => {
    expect(overviewMimeType(undefined)).toBe(VULN_REPORT_MIME);
    expect(overviewMimeType(DEFAULT_ACCEPT_VULNERABILITIES)).toBe(VULN_REPORT_MIME);
    expect(overviewMimeType(`${NATIVE_REPORT_MIME}, ${VULN_REPORT_MIME}`)).toBe(NATIVE_REPORT_MIME);
    expect(overviewMimeType("application/json")).toBe(NATIVE_REPORT_MIME);
  });
});
