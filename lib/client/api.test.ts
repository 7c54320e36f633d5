import { describe, expect, it } from "vitest";
import { ApiError, retryable, withQuery } from "./api";
import { runLogUrl, runUrl } from "./run-detail";

describe("withQuery", () => {
  it("keeps only the values that are set, encoded", () => {
    expect(withQuery("/api/v1/commits", { app: "payments", q: "fix rounding", branch: "" })).toBe(
      "/api/v1/commits?app=payments&q=fix+rounding",
    );
    expect(withQuery("/api/v1/deployments", { app: undefined })).toBe("/api/v1/deployments");
  });
});

describe("retryable", () => {
  it("retries server and network failures twice, never a client error", () => {
    expect(retryable(0, new ApiError(500, "internal error"))).toBe(true);
    expect(retryable(2, new ApiError(503, "down"))).toBe(false);
    expect(retryable(0, new TypeError("Failed to fetch"))).toBe(true);
    expect(retryable(0, new ApiError(404, "no commit"))).toBe(false);
  });
});

describe("run URLs", () => {
  it("follow the run-detail contract", () => {
    const run = { cluster: "staging", namespace: "apps", kind: "builds", name: "payments-build-3" };
    expect(runUrl(run)).toBe("/api/v1/runs/staging/apps/builds/payments-build-3");
    expect(runLogUrl(run, "payments-build-3", "detect")).toBe(
      "/api/v1/runs/staging/apps/builds/payments-build-3/logs?group=payments-build-3&step=detect",
    );
  });
});
