import { describe, expect, it } from "vitest";
import {
  approvalProgress,
  currentAccess,
  decisionOutcome,
  decisionProblem,
  gateStatusOfStage,
  gatesForTab,
  reasonText,
  type GateView,
} from "./gates";

const NOW = Date.parse("2026-11-26T03:00:00Z");

describe("approvalProgress", () => {
  it("counts distinct approvers against the minimum", () => {
    const decisions = [
      { user: "a", decision: "approve" as const },
      { user: "a", decision: "approve" as const },
      { user: "b", decision: "reject" as const },
    ];
    expect(approvalProgress(2, decisions)).toEqual({
      approvals: 1,
      needed: 2,
      text: "1 of 2 approvals",
    });
    expect(approvalProgress(null, []).text).toBe("0 of 1 approval");
  });
});

describe("gateStatusOfStage", () => {
  it("reads an approval stage's status as the gate's", () => {
    expect(gateStatusOfStage("waiting", "AwaitingApproval")).toBe("pending");
    expect(gateStatusOfStage("succeeded", "Approved")).toBe("approved");
    expect(gateStatusOfStage("failed", "Rejected")).toBe("rejected");
    expect(gateStatusOfStage("failed", "TimedOut")).toBe("expired");
    expect(gateStatusOfStage("cancelled", null)).toBe("cancelled");
  });
});

describe("currentAccess", () => {
  const open = { status: "pending" as const, expiresAt: null, decisions: [] };
  const allowed = { canDecide: true, reason: null };

  it("keeps the server's verdict while nothing changed", () => {
    expect(currentAccess(allowed, open, "carol@example.com", NOW)).toEqual(allowed);
    const refused = { canDecide: false, reason: "this needs the approver role; dev has viewer" };
    expect(currentAccess(refused, open, "dev", NOW)).toEqual(refused);
  });

  it("narrows to the server's words once the gate settled, expired or got this person's decision", () => {
    expect(currentAccess(allowed, { ...open, status: "approved" }, null, NOW)).toEqual({
      canDecide: false,
      reason: "this gate is already approved",
    });
    expect(
      currentAccess(allowed, { ...open, expiresAt: "2026-11-26T02:59:00.000Z" }, null, NOW),
    ).toEqual({ canDecide: false, reason: "this gate expired at 2026-11-26T02:59:00.000Z" });
    expect(
      currentAccess(
        allowed,
        { ...open, decisions: [{ user: "carol@example.com" }] },
        "carol@example.com",
        NOW,
      ),
    ).toEqual({ canDecide: false, reason: "carol@example.com has already decided this gate" });
  });

  it("never lets newer data widen a refusal, nor invent a verdict", () => {
    expect(currentAccess(null, open, "carol@example.com", NOW)).toEqual({
      canDecide: false,
      reason: null,
    });
  });
});

describe("decisionProblem", () => {
  it("requires a comment to reject, not to approve", () => {
    expect(decisionProblem("reject", "  ")).toBe("A comment is required to reject.");
    expect(decisionProblem("reject", "scan shows a critical CVE")).toBeNull();
    expect(decisionProblem("approve", "")).toBeNull();
    expect(decisionProblem("approve", "x".repeat(2001))).toMatch(/at most 2000/);
  });
});

describe("gatesForTab", () => {
  const gate = (id: string, canDecide: boolean): GateView => ({
    id,
    app: "payments",
    sha: null,
    environment: "production",
    status: "pending",
    message: null,
    minApprovals: 1,
    approvers: [],
    decisions: [],
    createdAt: "2026-11-26T02:00:00Z",
    expiresAt: null,
    canDecide,
  });
  const pending = [gate("a", true), gate("b", false)];
  const decided = [{ ...gate("c", false), status: "approved" as const }];
  const access = (g: GateView) => ({ canDecide: g.canDecide ?? false, reason: null });

  it("lists what this person may decide, all pending, or the decided ones", () => {
    expect(gatesForTab("mine", pending, decided, access).map((g) => g.id)).toEqual(["a"]);
    expect(gatesForTab("pending", pending, decided, access).map((g) => g.id)).toEqual(["a", "b"]);
    expect(gatesForTab("decided", pending, decided, access).map((g) => g.id)).toEqual(["c"]);
  });
});

describe("reasonText", () => {
  it("speaks to the person about themselves", () => {
    const me = "carol@example.com";
    expect(reasonText(`${me} wrote or pushed this change and may not approve it`, me)).toBe(
      "You wrote or pushed this change and may not approve it.",
    );
    expect(reasonText(`${me} is not among this gate's approvers (alice)`, me)).toBe(
      "You are not among this gate's approvers (alice).",
    );
    expect(reasonText(`${me} has already decided this gate`, me)).toBe(
      "You have already decided this gate.",
    );
    expect(reasonText("this gate is already approved", me)).toBe("This gate is already approved.");
  });
});

describe("decisionOutcome", () => {
  it("says what the decision led to", () => {
    const approve = { user: "a", decision: "approve" as const, comment: null, at: null };
    expect(decisionOutcome({ status: "pending", minApprovals: 2, decisions: [approve] })).toBe(
      "Your approval is recorded: 1 of 2 approvals so far.",
    );
    expect(decisionOutcome({ status: "approved", minApprovals: 1, decisions: [approve] })).toMatch(
      /^Approved\. The pipeline resumes/,
    );
    expect(decisionOutcome({ status: "rejected", minApprovals: 1, decisions: [] })).toMatch(
      /^Rejected\./,
    );
  });
});
