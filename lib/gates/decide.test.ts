import { describe, expect, it } from "vitest";
import { BadInput, Forbidden } from "../errors";
import { impersonationOf } from "./decide";
import type { Decider } from "./policy";

const decider = (username: string | null): Decider => ({
  kind: "user",
  key: "user:u1",
  actor: "someone@corp.example",
  username,
  email: "someone@corp.example",
  groups: [],
  roles: ["viewer", "approver"],
  self: null,
});

describe("impersonationOf", () => {
  it("acts as the decider's own username", () => {
    expect(impersonationOf(decider("alice"))).toBe("alice");
    expect(impersonationOf(decider("oidc:alice@corp.example"))).toBe("oidc:alice@corp.example");
  });

  it("refuses what cannot go out as a header as it is", () => {
    for (const name of ["alice\r\nImpersonate-Group: system:masters", " alice", "alïce", "a\tb"])
      expect(() => impersonationOf(decider(name))).toThrow(BadInput);
  });

  it("refuses Kubernetes' own users and people without a username", () => {
    expect(() => impersonationOf(decider("system:admin"))).toThrow(Forbidden);
    expect(() => impersonationOf(decider(null))).toThrow(Forbidden);
  });
});
