import { describe, expect, it } from "vitest";
import { KubeError } from "./status-errors";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors";

const labels = { app: "web", tier: "frontend", "shiplog.dev/commit": "abc123", build: "27" };
const match = (selector: string, l: Record<string, string> | undefined = labels) =>
  matchesLabels(parseLabelSelector(selector), l);

describe("label selectors", () => {
  it("matches equality, inequality and double-equals", () => {
    expect(match("app=web")).toBe(true);
    expect(match("app==web")).toBe(true);
    expect(match("app=api")).toBe(false);
    expect(match("app!=api")).toBe(true);
    expect(match("app!=web")).toBe(false);
    expect(match("missing!=x")).toBe(true);
  });

  it("matches set-based in / notin", () => {
    expect(match("tier in (frontend, backend)")).toBe(true);
    expect(match("tier in (backend)")).toBe(false);
    expect(match("tier notin (backend,db)")).toBe(true);
    expect(match("tier notin (frontend)")).toBe(false);
    expect(match("missing notin (x)")).toBe(true);
    expect(match("missing in (x)")).toBe(false);
  });

  it("matches exists and !key", () => {
    expect(match("shiplog.dev/commit")).toBe(true);
    expect(match("!shiplog.dev/commit")).toBe(false);
    expect(match("!legacy")).toBe(true);
    expect(match("legacy")).toBe(false);
  });

  it("ANDs requirements and treats the empty selector as everything", () => {
    expect(match("app=web,tier in (frontend),!legacy,shiplog.dev/commit=abc123")).toBe(true);
    expect(match("app=web,tier=backend")).toBe(false);
    expect(match("")).toBe(true);
    expect(matchesLabels(parseLabelSelector(""), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector("app"), undefined)).toBe(false);
  });

  it("supports gt / lt on integer values", () => {
    expect(match("build>26")).toBe(true);
    expect(match("build<27")).toBe(false);
  });

  it("rejects malformed selectors with a 400 BadRequest", () => {
    for (const bad of [
      "app=web,",
      "tier in frontend",
      "tier in (a",
      "=web",
      "app=we b",
      "Bad Key=x",
      "a=b=c",
    ]) {
      let err: unknown;
      try {
        parseLabelSelector(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(KubeError);
      expect((err as KubeError).code).toBe(400);
      expect((err as KubeError).reason).toBe("BadRequest");
    }
  });
});

describe("field selectors", () => {
  const obj: Record<string, string> = { "metadata.name": "run-1", "metadata.namespace": "ci" };
  const get = (f: string) => obj[f];

  it("parses =, == and != and matches them", () => {
    expect(parseFieldSelector("metadata.name=run-1,metadata.namespace!=apps")).toEqual([
      { field: "metadata.name", op: "=", value: "run-1" },
      { field: "metadata.namespace", op: "!=", value: "apps" },
    ]);
    expect(matchesFields(parseFieldSelector("metadata.name==run-1"), get)).toBe(true);
    expect(matchesFields(parseFieldSelector("metadata.name=run-2"), get)).toBe(false);
    expect(matchesFields(parseFieldSelector("metadata.namespace!=ci"), get)).toBe(false);
    expect(parseFieldSelector("")).toEqual([]);
  });

  it("unescapes \\, and \\= in values", () => {
    expect(parseFieldSelector("reason=a\\,b\\=c")).toEqual([
      { field: "reason", op: "=", value: "a,b=c" },
    ]);
  });

  it("rejects a term without an operator", () => {
    expect(() => parseFieldSelector("metadata.name")).toThrow(KubeError);
  });
});
