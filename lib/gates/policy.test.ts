import { describe, expect, it } from "vitest";
import { BadInput, Conflict, Forbidden } from "../errors";
import {
  checkDecision,
  isAuthor,
  matchApprover,
  outcomeOf,
  type Decider,
  type PolicyGate,
} from "./policy";

const NOW = new Date("2026-11-25T12:00:00Z");
const person = (name: string, groups: string[] = [], roles = ["viewer", "approver"]): Decider => ({
  actor: `${name}@shop.example.com`,
  name,
  email: `${name}@shop.example.com`,
  groups,
  roles,
});
const gate = (over: Partial<PolicyGate> = {}): PolicyGate => ({
  status: "pending",
  approvers: ["alice", "group:release-managers"],
  minApprovals: 1,
  authorMayDecide: false,
  expiresAt: null,
  ...over,
});
const approve = { decision: "approve" as const, comment: null };
const at = (user: string, decision: "approve" | "reject") => ({
  user,
  decision,
  comment: null,
  at: NOW,
});

describe("matchApprover", () => {
  it("matches a user entry by name or e-mail, a group entry by membership", () => {
    expect(matchApprover(["alice"], person("alice"))).toEqual({ user: "alice" });
    expect(matchApprover(["ALICE@shop.example.com"], person("alice"))).toEqual({
      user: "ALICE@shop.example.com",
    });
    expect(matchApprover(["group:sre"], person("erin", ["sre"]))).toEqual({
      user: "erin",
      group: "sre",
    });
    expect(matchApprover(["group:sre", "bob"], person("erin", ["dev"]))).toBeNull();
  });

  it("a bare username matches the local part of the signed-in e-mail, not another domain", () => {
    const signedIn = { ...person("Alice Liddell"), email: "alice@shop.example.com" };
    expect(matchApprover(["alice"], signedIn)).toEqual({ user: "alice" });
    expect(matchApprover(["alice@other.example.com"], signedIn)).toBeNull();
    expect(matchApprover(["ali"], signedIn)).toBeNull();
  });
});

describe("isAuthor", () => {
  it("by e-mail or by name, case-insensitively", () => {
    const maria = { ...person("mgarcia"), email: "Maria.Garcia@shop.example.com" };
    expect(isAuthor({ name: "Maria Garcia", email: "maria.garcia@shop.example.com" }, maria)).toBe(
      true,
    );
    expect(isAuthor({ name: "mgarcia", email: null }, person("mgarcia"))).toBe(true);
    expect(isAuthor({ name: "Jonas Becker", email: "jonas@x" }, maria)).toBe(false);
    expect(isAuthor(null, maria)).toBe(false);
  });
});

describe("checkDecision", () => {
  it("lets a named user and a group member decide", () => {
    expect(() => checkDecision(gate(), [], person("alice"), approve, null, NOW)).not.toThrow();
    expect(() =>
      checkDecision(gate(), [], person("erin", ["release-managers"]), approve, null, NOW),
    ).not.toThrow();
  });

  it("refuses anyone else, even an admin, when the gate names approvers", () => {
    expect(() =>
      checkDecision(gate(), [], person("root", [], ["admin"]), approve, null, NOW),
    ).toThrow(
      new Forbidden(
        "root@shop.example.com is not among this gate's approvers (alice, group:release-managers)",
      ),
    );
  });

  it("a gate naming no one is for the approver role (admins hold every role)", () => {
    const open = gate({ approvers: [] });
    expect(() => checkDecision(open, [], person("carol"), approve, null, NOW)).not.toThrow();
    expect(() =>
      checkDecision(open, [], person("root", [], ["admin"]), approve, null, NOW),
    ).not.toThrow();
    expect(() =>
      checkDecision(open, [], person("dev", [], ["viewer"]), approve, null, NOW),
    ).toThrow(Forbidden);
  });

  it("the author may not approve their own change unless the gate allows it; they may reject", () => {
    const author = { name: "Alice Liddell", email: "alice@shop.example.com" };
    expect(() => checkDecision(gate(), [], person("alice"), approve, author, NOW)).toThrow(
      new Forbidden("alice@shop.example.com wrote this change and may not approve it"),
    );
    expect(() =>
      checkDecision(gate({ authorMayDecide: true }), [], person("alice"), approve, author, NOW),
    ).not.toThrow();
    expect(() =>
      checkDecision(
        gate(),
        [],
        person("alice"),
        { decision: "reject", comment: "not ready" },
        author,
        NOW,
      ),
    ).not.toThrow();
  });

  it("needs a comment to reject; one decision per person; nothing once decided or expired", () => {
    expect(() =>
      checkDecision(gate(), [], person("alice"), { decision: "reject", comment: " " }, null, NOW),
    ).toThrow(new BadInput("a comment is required to reject"));
    expect(() =>
      checkDecision(
        gate(),
        [at("alice@shop.example.com", "approve")],
        person("alice"),
        approve,
        null,
        NOW,
      ),
    ).toThrow(new Conflict("alice@shop.example.com has already decided this gate"));
    expect(() =>
      checkDecision(gate({ status: "approved" }), [], person("alice"), approve, null, NOW),
    ).toThrow(new Conflict("this gate is already approved"));
    expect(() =>
      checkDecision(
        gate({ expiresAt: new Date("2026-11-25T11:59:59Z") }),
        [],
        person("alice"),
        approve,
        null,
        NOW,
      ),
    ).toThrow(new Conflict("this gate expired at 2026-11-25T11:59:59.000Z"));
  });
});

describe("outcomeOf", () => {
  it("N of M approvals approve, any rejection rejects", () => {
    expect(outcomeOf(2, [at("a", "approve")])).toBe("pending");
    expect(outcomeOf(2, [at("a", "approve"), at("b", "approve")])).toBe("approved");
    expect(outcomeOf(2, [at("a", "approve"), at("b", "reject")])).toBe("rejected");
    expect(outcomeOf(1, [])).toBe("pending");
  });
});
