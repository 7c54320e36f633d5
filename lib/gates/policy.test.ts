import { describe, expect, it } from "vitest";
import { BadInput, Conflict, Forbidden } from "../errors";
import {
  authorship,
  checkDecision,
  mailbox,
  matchApprover,
  outcomeOf,
  type Decider,
  type PolicyGate,
} from "./policy";

const NOW = new Date("2026-11-25T12:00:00Z");
/** A signed-in person: username `name`, verified e-mail name@shop.example.com. */
const person = (name: string, groups: string[] = [], roles = ["viewer", "approver"]): Decider => ({
  kind: "user",
  key: `user:${name}-id`,
  actor: `${name}@shop.example.com`,
  username: name,
  email: `${name}@shop.example.com`,
  groups,
  roles,
  self: { username: name, email: `${name}@shop.example.com`, name },
});
const token = (over: Partial<Decider> = {}): Decider => ({
  kind: "token",
  key: "user:admin-id",
  actor: "token:ci",
  username: null,
  email: null,
  groups: [],
  roles: ["viewer", "approver"],
  self: { username: "root", email: "root@shop.example.com", name: "Root" },
  ...over,
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
/** Someone else's change: the rule has an author to compare with. */
const other = { name: "Jonas Becker", email: "jonas@shop.example.com", pushedBy: "jonas" };
const at = (key: string, decision: "approve" | "reject") => ({
  key,
  user: key,
  decision,
  comment: null,
  at: NOW,
});

describe("matchApprover", () => {
  it("matches a user entry by username or verified e-mail, a group entry by membership", () => {
    expect(matchApprover(["alice"], person("alice"))).toEqual({ entry: "alice" });
    expect(matchApprover(["ALICE@shop.example.com"], person("alice"))).toEqual({
      entry: "ALICE@shop.example.com",
    });
    expect(matchApprover(["group:sre"], person("erin", ["sre"]))).toEqual({
      entry: null,
      group: "sre",
    });
    expect(matchApprover(["group:sre", "bob"], person("erin", ["dev"]))).toBeNull();
  });

  it("a person who renames himself alice is not the approver alice", () => {
    const mallory = { ...person("mallory"), self: { ...person("mallory").self!, name: "alice" } };
    expect(matchApprover(["alice"], mallory)).toBeNull();
    expect(matchApprover(["Alice"], mallory)).toBeNull();
  });

  it("a bare name is an e-mail's local part only within the operator's approver domains", () => {
    const elsewhere = { ...person("a-liddell"), email: "alice@attacker.example.net" };
    expect(matchApprover(["alice"], elsewhere)).toBeNull();
    expect(
      matchApprover(["alice"], elsewhere, { approverDomains: ["shop.example.com"] }),
    ).toBeNull();
    const inside = { ...person("a-liddell"), email: "alice@shop.example.com" };
    expect(matchApprover(["alice"], inside)).toBeNull();
    expect(matchApprover(["alice"], inside, { approverDomains: ["shop.example.com"] })).toEqual({
      entry: "alice",
    });
    expect(matchApprover(["ali"], inside, { approverDomains: ["shop.example.com"] })).toBeNull();
  });

  it("an e-mail that is not verified names no one (the decider carries none)", () => {
    expect(matchApprover(["alice@shop.example.com"], { ...person("x"), email: null })).toBeNull();
  });

  it("a token is never a named approver, by user entry or by group", () => {
    expect(matchApprover(["token:ci", "root", "group:ops"], token({ groups: ["ops"] }))).toBeNull();
  });
});

describe("mailbox", () => {
  it("folds case and drops a +tag", () => {
    expect(mailbox(" Alice+release@Corp.Example ")).toBe("alice@corp.example");
    expect(mailbox("alice@corp.example")).toBe("alice@corp.example");
    expect(mailbox(null)).toBeNull();
  });
});

describe("authorship", () => {
  const alice = person("alice");
  it("the same mailbox is the author, whatever its case or +tag", () => {
    expect(authorship({ name: null, email: "Alice@shop.example.com" }, alice)).toBe("yes");
    expect(authorship({ name: null, email: "alice+hotfix@shop.example.com" }, alice)).toBe("yes");
  });

  it("the pusher or the commit's forge author is the author, by username", () => {
    const elsewhere = { name: "A. L.", email: "al@home.example.net" };
    expect(authorship({ ...elsewhere, pushedBy: "Alice" }, alice)).toBe("yes");
    expect(authorship({ ...elsewhere, username: "alice" }, alice)).toBe("yes");
    expect(authorship({ ...elsewhere, pushedBy: "jonas" }, alice)).toBe("no");
  });

  it("the name decides only when neither e-mails nor usernames can be compared", () => {
    const nameOnly = {
      ...alice,
      email: null,
      self: { username: null, email: null, name: "Alice L" },
    };
    expect(authorship({ name: "alice l", email: null }, nameOnly)).toBe("yes");
    expect(authorship({ name: "Jonas", email: null }, nameOnly)).toBe("no");
    // A differing e-mail was compared: the same display name does not make someone the author.
    expect(authorship({ name: "alice", email: "jonas@shop.example.com" }, alice)).toBe("no");
  });

  it("nothing known of the author, or of the decider, is unknown", () => {
    expect(authorship(null, alice)).toBe("unknown");
    expect(authorship({ name: null, email: null, pushedBy: null }, alice)).toBe("unknown");
    expect(authorship({ name: null, email: "j@x.example" }, token({ self: null }))).toBe("unknown");
    const bare = { ...alice, email: null, self: { username: null, email: null, name: null } };
    expect(authorship({ name: null, email: "j@x.example" }, bare)).toBe("unknown");
  });
});

describe("checkDecision", () => {
  it("lets a named user and a group member decide", () => {
    expect(() => checkDecision(gate(), [], person("alice"), approve, other, NOW)).not.toThrow();
    expect(() =>
      checkDecision(gate(), [], person("erin", ["release-managers"]), approve, other, NOW),
    ).not.toThrow();
  });

  it("refuses anyone else, even an admin, when the gate names approvers", () => {
    expect(() =>
      checkDecision(gate(), [], person("root", [], ["admin"]), approve, other, NOW),
    ).toThrow(
      new Forbidden(
        "root@shop.example.com is not among this gate's approvers (alice, group:release-managers)",
      ),
    );
  });

  it("a token cannot decide a gate that names approvers, and says so", () => {
    expect(() => checkDecision(gate(), [], token(), approve, other, NOW)).toThrow(
      new Forbidden(
        "an API token cannot decide a gate that names approvers (alice, group:release-managers); sign in as one of them",
      ),
    );
  });

  it("a gate naming no one is for the approver role (admins hold every role)", () => {
    const open = gate({ approvers: [] });
    expect(() => checkDecision(open, [], person("carol"), approve, other, NOW)).not.toThrow();
    expect(() =>
      checkDecision(open, [], person("root", [], ["admin"]), approve, other, NOW),
    ).not.toThrow();
    expect(() => checkDecision(open, [], token(), approve, other, NOW)).not.toThrow();
    expect(() =>
      checkDecision(open, [], person("dev", [], ["viewer"]), approve, other, NOW),
    ).toThrow(Forbidden);
  });

  it("the author may not approve their own change unless the gate allows it; they may reject", () => {
    const author = { name: "Alice Liddell", email: "alice@shop.example.com" };
    expect(() => checkDecision(gate(), [], person("alice"), approve, author, NOW)).toThrow(
      new Forbidden("alice@shop.example.com wrote or pushed this change and may not approve it"),
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

  it("the author approving through a variant of their address is refused", () => {
    for (const email of ["Alice@Shop.Example.com", "alice+x@shop.example.com"])
      expect(() =>
        checkDecision(gate(), [], person("alice"), approve, { name: null, email }, NOW),
      ).toThrow(Forbidden);
  });

  it("the author approving through a token they made is refused", () => {
    const open = gate({ approvers: [] });
    const byRoot = { name: "Root", email: "root+ci@shop.example.com" };
    expect(() => checkDecision(open, [], token(), approve, byRoot, NOW)).toThrow(
      new Forbidden("token:ci wrote or pushed this change and may not approve it"),
    );
  });

  it("while the author is unknown nobody may approve, and the reason says why", () => {
    expect(() => checkDecision(gate(), [], person("alice"), approve, null, NOW)).toThrow(
      new Forbidden(
        "the commit's author is not known yet, so separation of duties cannot be checked",
      ),
    );
    expect(() =>
      checkDecision(gate({ authorMayDecide: true }), [], person("alice"), approve, null, NOW),
    ).not.toThrow();
    const reject = { decision: "reject" as const, comment: "no" };
    expect(() => checkDecision(gate(), [], person("alice"), reject, null, NOW)).not.toThrow();
    const open = gate({ approvers: [] });
    expect(() => checkDecision(open, [], token({ self: null }), approve, other, NOW)).toThrow(
      /made with npm run token, so no person answers for its approvals/,
    );
  });

  it("needs a comment to reject; one decision per person; nothing once decided or expired", () => {
    expect(() =>
      checkDecision(gate(), [], person("alice"), { decision: "reject", comment: " " }, other, NOW),
    ).toThrow(new BadInput("a comment is required to reject"));
    expect(() =>
      checkDecision(gate(), [at("user:alice-id", "approve")], person("alice"), approve, other, NOW),
    ).toThrow(new Conflict("alice@shop.example.com has already decided this gate"));
    expect(() =>
      checkDecision(gate({ status: "approved" }), [], person("alice"), approve, other, NOW),
    ).toThrow(new Conflict("this gate is already approved"));
    expect(() =>
      checkDecision(
        gate({ expiresAt: new Date("2026-11-25T11:59:59Z") }),
        [],
        person("alice"),
        approve,
        other,
        NOW,
      ),
    ).toThrow(new Conflict("this gate expired at 2026-11-25T11:59:59.000Z"));
  });

  it("one person under a new e-mail has still decided: decisions are keyed by who, not by name", () => {
    const renamed = { ...person("alice"), actor: "alice.liddell@shop.example.com" };
    expect(() =>
      checkDecision(gate(), [at("user:alice-id", "approve")], renamed, approve, other, NOW),
    ).toThrow(Conflict);
  });
});

describe("outcomeOf", () => {
  it("N of M approvals approve, any rejection rejects", () => {
    expect(outcomeOf(2, [at("a", "approve")])).toBe("pending");
    expect(outcomeOf(2, [at("a", "approve"), at("b", "approve")])).toBe("approved");
    expect(outcomeOf(2, [at("a", "approve"), at("b", "reject")])).toBe("rejected");
    expect(outcomeOf(1, [])).toBe("pending");
  });

  it("two decisions of one person count once, whatever they were named", () => {
    const same = [
      { ...at("user:alice-id", "approve"), user: "alice@old.example" },
      { ...at("user:alice-id", "approve"), user: "alice@new.example" },
    ];
    expect(outcomeOf(2, same)).toBe("pending");
  });
});
