import { describe, expect, it } from "vitest";
import { queryKeys } from "@/lib/query-keys";
import { affects, parseLiveEvent, type LiveEvent } from "./invalidate";

const SHA = "9e820cad0a4b6c1d2e3f405162738495a6b7c8d9";
const timeline: LiveEvent = { type: "timeline", payload: { app: "payments", sha: SHA } };
const gate: LiveEvent = { type: "gate", payload: { id: "g-1", status: "approved" } };

describe("parseLiveEvent", () => {
  it("reads the two documented events and lower-cases the SHA", () => {
    expect(parseLiveEvent("timeline", `{"app":"payments","sha":"${SHA.toUpperCase()}"}`)).toEqual(
      timeline,
    );
    expect(parseLiveEvent("gate", '{"id":"g-1","status":"approved"}')).toEqual(gate);
  });

  it("ignores malformed or unknown messages", () => {
    expect(parseLiveEvent("timeline", "not json")).toBeNull();
    expect(parseLiveEvent("timeline", '{"app":"payments"}')).toBeNull();
    expect(parseLiveEvent("other", '{"app":"a","sha":"b"}')).toBeNull();
  });
});

describe("affects, for a timeline event", () => {
  it("invalidates the commit's own timeline, by full SHA or the prefix in the URL", () => {
    expect(affects(timeline, queryKeys.commits.detail("payments", SHA), undefined)).toBe(true);
    expect(
      affects(timeline, queryKeys.commits.detail("payments", SHA.slice(0, 7)), undefined),
    ).toBe(true);
  });

  it("leaves other commits' timelines alone, also of the same SHA in another app", () => {
    expect(affects(timeline, queryKeys.commits.detail("payments", "a".repeat(40)), undefined)).toBe(
      false,
    );
    expect(affects(timeline, queryKeys.commits.detail("search", SHA), undefined)).toBe(false);
  });

  it("invalidates commit lists that may show the commit: unfiltered by app, or of its app", () => {
    expect(affects(timeline, queryKeys.commits.list({}), undefined)).toBe(true);
    expect(
      affects(timeline, queryKeys.commits.list({ app: "payments", q: "fix" }), undefined),
    ).toBe(true);
    expect(affects(timeline, queryKeys.commits.list({ app: "search" }), undefined)).toBe(false);
  });

  it("invalidates the apps overview and the app's deployments, not other apps'", () => {
    expect(affects(timeline, queryKeys.apps.list(), undefined)).toBe(true);
    expect(affects(timeline, queryKeys.deployments.list("payments"), undefined)).toBe(true);
    expect(affects(timeline, queryKeys.deployments.list(), undefined)).toBe(true);
    expect(affects(timeline, queryKeys.deployments.list("search"), undefined)).toBe(false);
  });

  it("invalidates a run's detail only when the run belongs to the commit", () => {
    const key = queryKeys.runs.detail("staging", "ci", "pipelineruns", "promote-payments-x1");
    expect(affects(timeline, key, { app: "payments", sha: SHA })).toBe(true);
    expect(affects(timeline, key, { app: "payments", sha: "b".repeat(40) })).toBe(false);
    expect(affects(timeline, key, undefined)).toBe(false);
  });

  it("does not touch approvals", () => {
    expect(affects(timeline, queryKeys.approvals.all, undefined)).toBe(false);
  });
});

describe("affects, for a gate event", () => {
  it("invalidates approvals and the timelines whose approval stage is that gate", () => {
    expect(affects(gate, queryKeys.approvals.all, undefined)).toBe(true);
    const key = queryKeys.commits.detail("payments", SHA);
    expect(affects(gate, key, { stages: [{ details: { gateId: "g-1" } }] })).toBe(true);
    expect(affects(gate, key, { stages: [{ details: { gateId: "g-2" } }] })).toBe(false);
    expect(affects(gate, queryKeys.commits.list({}), undefined)).toBe(false);
  });
});
