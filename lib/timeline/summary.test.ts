import { describe, expect, it } from "vitest";
import type { Stage, Status } from "@/lib/sources/types";
import { attemptOrder, recency, stageKey, summarizeStages, worse } from "./summary";

const s = (
  stage: Stage,
  status: Status,
  startedAt: string | null,
  environment: string | null = null,
  group?: string,
) => ({ stage, status, startedAt, environment, group });

describe("summarizeStages", () => {
  it("has no stages: unknown, empty map", () => {
    expect(summarizeStages([])).toEqual({ status: "unknown", stages: {} });
  });

  it("keys per-environment stages by environment, others by stage name", () => {
    const r = summarizeStages([
      s("build", "succeeded", "2026-11-01T10:00:00Z"),
      s("image", "succeeded", "2026-11-01T10:02:00Z"),
      s("scan", "succeeded", "2026-11-01T10:02:00Z"),
      s("pipeline", "succeeded", "2026-11-01T10:03:00Z", "staging"),
      s("approval", "waiting", "2026-11-01T10:05:00Z", "production"),
      s("deploy", "succeeded", "2026-11-01T10:04:00Z", "staging"),
      s("verify", "running", "2026-11-01T10:06:00Z", "staging"),
    ]);
    expect(r).toEqual({
      status: "waiting",
      stages: {
        build: "succeeded",
        image: "succeeded",
        scan: "succeeded",
        pipeline: "succeeded",
        "approval:production": "waiting",
        "deploy:staging": "succeeded",
        "verify:staging": "running",
      },
    });
  });

  it("a failed build rebuilt successfully is succeeded: the latest attempt counts", () => {
    const r = summarizeStages([
      s("build", "failed", "2026-11-01T10:00:00Z"),
      s("build", "succeeded", "2026-11-01T10:20:00Z"),
    ]);
    expect(r).toEqual({ status: "succeeded", stages: { build: "succeeded" } });
  });

  it("input order does not matter when start times differ", () => {
    const r = summarizeStages([
      s("pipeline", "succeeded", "2026-11-01T10:20:00Z"),
      s("pipeline", "failed", "2026-11-01T10:00:00Z"),
    ]);
    expect(r.stages.pipeline).toBe("succeeded");
  });

  it("a re-run held as PipelineRunPending (no start) is the newest attempt", () => {
    const r = summarizeStages([
      s("pipeline", "failed", "2026-11-01T10:00:00Z"),
      s("pipeline", "pending", null),
    ]);
    expect(r).toEqual({ status: "pending", stages: { pipeline: "pending" } });
  });

  it("a run cancelled before it started does not hide a later run's outcome", () => {
    const r = summarizeStages([
      s("pipeline", "succeeded", "2026-11-01T10:20:00Z"),
      s("pipeline", "cancelled", null),
    ]);
    expect(r.stages.pipeline).toBe("succeeded");
  });

  it("a deploy failed in production while staging succeeded: failed overall", () => {
    const r = summarizeStages([
      s("deploy", "succeeded", "2026-11-01T10:04:00Z", "staging"),
      s("deploy", "failed", "2026-11-01T11:04:00Z", "production"),
    ]);
    expect(r).toEqual({
      status: "failed",
      stages: { "deploy:staging": "succeeded", "deploy:production": "failed" },
    });
  });

  it("different groups of one stage are all current: the worst wins the stage key", () => {
    const r = summarizeStages([
      s("build", "failed", "2026-11-01T10:00:00Z", null, "api"),
      s("build", "succeeded", "2026-11-01T10:05:00Z", null, "worker"),
    ]);
    expect(r).toEqual({ status: "failed", stages: { build: "failed" } });
  });

  it("without groups, those two builds are attempts of one thing", () => {
    const r = summarizeStages([
      s("build", "failed", "2026-11-01T10:00:00Z"),
      s("build", "succeeded", "2026-11-01T10:05:00Z"),
    ]);
    expect(r.status).toBe("succeeded");
  });

  it("equal start times: the later row (creation order) is the latest", () => {
    const r = summarizeStages([
      s("approval", "waiting", "2026-11-01T10:00:00Z", "production"),
      s("approval", "succeeded", "2026-11-01T10:00:00Z", "production"),
    ]);
    expect(r.stages["approval:production"]).toBe("succeeded");
  });

  it("unknown is worse than succeeded, skipped is the mildest", () => {
    expect(
      summarizeStages([
        s("build", "succeeded", "2026-11-01T10:00:00Z"),
        s("scan", "unknown", "2026-11-01T10:01:00Z"),
      ]).status,
    ).toBe("unknown");
    expect(
      summarizeStages([
        s("build", "succeeded", "2026-11-01T10:00:00Z"),
        s("verify", "skipped", null, "staging"),
      ]).status,
    ).toBe("succeeded");
  });
});

describe("helpers", () => {
  it("stageKey", () => {
    expect(stageKey("deploy", "production")).toBe("deploy:production");
    expect(stageKey("deploy", null)).toBe("deploy");
    expect(stageKey("pipeline", "production")).toBe("pipeline");
  });

  it("worse follows the severity order", () => {
    expect(worse("succeeded", "failed")).toBe("failed");
    expect(worse("cancelled", "waiting")).toBe("cancelled");
    expect(worse("running", "pending")).toBe("running");
    expect(worse("skipped", "succeeded")).toBe("succeeded");
  });

  it("recency and attemptOrder", () => {
    expect(recency("succeeded", "2026-11-01T10:00:00Z")).toBe(Date.parse("2026-11-01T10:00:00Z"));
    expect(recency("running", null)).toBe(Number.POSITIVE_INFINITY);
    expect(recency("failed", null)).toBe(Number.NEGATIVE_INFINITY);
    expect(
      attemptOrder([
        { status: "pending", startedAt: null },
        { status: "failed", startedAt: "2026-11-01T10:00:00Z" },
        { status: "cancelled", startedAt: null },
        { status: "failed", startedAt: "2026-11-01T09:00:00Z" },
      ]),
    ).toEqual([2, 3, 1, 0]);
  });
});
