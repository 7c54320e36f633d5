import { describe, expect, it } from "vitest";
import { parseDuration, substitute } from "./tekton-util";

describe("parseDuration", () => {
  it("reads Go durations as Tekton timeouts use them", () => {
    expect(parseDuration("1h0m0s")).toBe(3_600_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("0s")).toBe(0);
    expect(parseDuration("soon")).toBeNull();
    expect(parseDuration(undefined)).toBeNull();
  });
});

describe("substitute", () => {
  const ctx = {
    params: { app: "payments", approvers: ["alice", "group:ops"] },
    results: { parse: { digest: "sha256:ab" } },
  };
  it("replaces params, whole arrays and task results", () => {
    expect(substitute("$(params.app) $(tasks.parse.results.digest)", ctx)).toBe(
      "payments sha256:ab",
    );
    expect(substitute("$(params.approvers[*])", ctx)).toEqual(["alice", "group:ops"]);
    expect(substitute("$(tasks.other.results.x)", ctx)).toBe("$(tasks.other.results.x)");
  });
});
