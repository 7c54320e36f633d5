import { describe, expect, it } from "vitest";
import { hasFilters, readFilters, releasesHref } from "./releases-filters";

describe("readFilters", () => {
  it("reads every filter and the cursor, trimmed, first value of repeated ones", () => {
    expect(
      readFilters({
        app: " payments ",
        environment: "production",
        branch: "main",
        status: "failed",
        author: ["Maria Garcia", "x"],
        q: "9e820ca",
        cursor: "abc",
        other: "ignored",
      }),
    ).toEqual({
      filters: {
        app: "payments",
        environment: "production",
        branch: "main",
        status: "failed",
        author: "Maria Garcia",
        q: "9e820ca",
        cursor: "abc",
      },
      problems: [],
    });
  });

  it("drops an unknown status with a reason, and empty values", () => {
    expect(readFilters({ status: "broken", q: "  " })).toEqual({
      filters: {},
      problems: ['"broken" is not a status; showing every status'],
    });
  });
});

describe("releasesHref", () => {
  it("writes the filters in a fixed order and applies a change", () => {
    const filters = { q: "fix", app: "payments", cursor: "c1" };
    expect(releasesHref(filters)).toBe("/?app=payments&q=fix&cursor=c1");
    expect(releasesHref(filters, { cursor: undefined, status: "running" })).toBe(
      "/?app=payments&status=running&q=fix",
    );
    expect(releasesHref({})).toBe("/");
  });

  it("knows when any filter is set (a cursor alone is not a filter)", () => {
    expect(hasFilters({ cursor: "c" })).toBe(false);
    expect(hasFilters({ author: "dev" })).toBe(true);
  });
});
