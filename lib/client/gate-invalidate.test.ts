import { describe, expect, it } from "vitest";
import { queryKeys } from "@/lib/query-keys";
import { decisionInvalidates, gateEventAffects } from "./gate-invalidate";
import type { LiveEvent } from "./invalidate";

const SHA = "9e820cad0a4b6c1d2e3f405162738495a6b7c8d9";
const gate = (status: string): LiveEvent => ({ type: "gate", payload: { id: "g-1", status } });
const timeline: LiveEvent = { type: "timeline", payload: { app: "payments", sha: SHA } };

describe("gateEventAffects, for a gate event", () => {
  it("refreshes the pending list whatever the new status", () => {
    for (const status of ["pending", "approved", "rejected", "expired", "cancelled"])
      expect(gateEventAffects(gate(status), queryKeys.approvals.list("pending"), [])).toBe(true);
  });

  it("refreshes the decided list only once the gate is settled", () => {
    expect(gateEventAffects(gate("pending"), queryKeys.approvals.list("decided"), [])).toBe(false);
    expect(gateEventAffects(gate("approved"), queryKeys.approvals.list("decided"), [])).toBe(true);
    expect(gateEventAffects(gate("expired"), queryKeys.approvals.list("decided"), [])).toBe(true);
  });

  it("refreshes the timelines that show the gate, and no other", () => {
    const key = queryKeys.commits.detail("payments", SHA);
    expect(
      gateEventAffects(gate("approved"), key, { stages: [{ details: { gateId: "g-1" } }] }),
    ).toBe(true);
    expect(
      gateEventAffects(gate("approved"), key, { stages: [{ details: { gateId: "g-2" } }] }),
    ).toBe(false);
    expect(gateEventAffects(gate("approved"), key, undefined)).toBe(false);
    expect(gateEventAffects(gate("approved"), queryKeys.commits.list({}), undefined)).toBe(false);
    expect(gateEventAffects(gate("approved"), queryKeys.apps.list(), undefined)).toBe(false);
  });
});

describe("gateEventAffects, for a timeline event", () => {
  it("refreshes a gate list that shows a gate of that commit", () => {
    const data = [{ id: "g-1", app: "payments", sha: SHA.toUpperCase() }];
    expect(gateEventAffects(timeline, queryKeys.approvals.list("pending"), data)).toBe(true);
  });

  it("refreshes a gate list holding a gate not yet tied to a commit", () => {
    expect(
      gateEventAffects(timeline, queryKeys.approvals.list("pending"), [
        { id: "g-9", app: null, sha: null },
      ]),
    ).toBe(true);
  });

  it("leaves lists of other commits' gates, and other queries, alone", () => {
    const data = [
      { id: "g-1", app: "search", sha: SHA },
      { id: "g-2", app: "payments", sha: "a".repeat(40) },
    ];
    expect(gateEventAffects(timeline, queryKeys.approvals.list("decided"), data)).toBe(false);
    expect(gateEventAffects(timeline, queryKeys.approvals.list("pending"), undefined)).toBe(false);
    expect(gateEventAffects(timeline, queryKeys.commits.detail("payments", SHA), {})).toBe(false);
  });
});

describe("decisionInvalidates", () => {
  it("names both gate lists (by prefix) and the commit's own timeline key", () => {
    expect(decisionInvalidates("payments", SHA.toUpperCase())).toEqual([
      queryKeys.approvals.lists(),
      queryKeys.commits.detail("payments", SHA),
    ]);
    expect(decisionInvalidates(null, null)).toEqual([queryKeys.approvals.lists()]);
  });

  it("gate list keys share the approvals root the live connection already refreshes", () => {
    expect(queryKeys.approvals.list("pending").slice(0, 1)).toEqual(queryKeys.approvals.all);
  });
});
