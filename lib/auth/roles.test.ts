import { describe, expect, it } from "vitest";
import {
  effectiveRoles,
  grantsOf,
  groupsFromClaims,
  hasRole,
  maySignIn,
  rolesFromGroups,
  type RoleGroups,
} from "./roles";

const mapping: RoleGroups = {
  viewer: [],
  approver: ["release-managers"],
  operator: ["sre", "platform"],
  admin: ["platform-admins"],
};

describe("rolesFromGroups", () => {
  it("makes everyone a viewer and adds what their groups grant", () => {
    expect(rolesFromGroups([], mapping)).toEqual(["viewer"]);
    expect(rolesFromGroups(["developers"], mapping)).toEqual(["viewer"]);
    expect(rolesFromGroups(["release-managers"], mapping)).toEqual(["viewer", "approver"]);
    expect(rolesFromGroups(["platform"], mapping)).toEqual(["viewer", "operator"]);
    expect(rolesFromGroups(["sre", "release-managers"], mapping)).toEqual([
      "viewer",
      "approver",
      "operator",
    ]);
  });

  it("gives an admin group every role", () => {
    expect(rolesFromGroups(["platform-admins"], mapping)).toEqual([
      "viewer",
      "approver",
      "operator",
      "admin",
    ]);
  });

  it("matches group names exactly", () => {
    expect(rolesFromGroups(["SRE", "/sre", "sre-team"], mapping)).toEqual(["viewer"]);
  });

  it("grants nothing without a mapping", () => {
    expect(rolesFromGroups(["sre"], { viewer: [], approver: [], operator: [], admin: [] })).toEqual(
      ["viewer"],
    );
  });
});

describe("maySignIn", () => {
  it("lets everyone in without viewer= groups", () => {
    expect(maySignIn([], mapping)).toBe(true);
  });

  it("with viewer= groups, needs one of them or a group of a higher role", () => {
    const restricted = { ...mapping, viewer: ["staff"] };
    expect(maySignIn([], restricted)).toBe(false);
    expect(maySignIn(["developers"], restricted)).toBe(false);
    expect(maySignIn(["staff"], restricted)).toBe(true);
    expect(maySignIn(["sre"], restricted)).toBe(true);
    expect(maySignIn(["STAFF"], restricted)).toBe(false);
  });
});

describe("hasRole", () => {
  it("lets admin do everything and nobody else beyond their roles", () => {
    expect(hasRole(["viewer"], "viewer")).toBe(true);
    expect(hasRole(["viewer"], "approver")).toBe(false);
    expect(hasRole(["viewer", "operator"], "approver")).toBe(false);
    expect(hasRole(["viewer", "operator"], "operator")).toBe(true);
    expect(hasRole(["admin"], "operator")).toBe(true);
    expect(hasRole(["admin"], "approver")).toBe(true);
    expect(hasRole([], "viewer")).toBe(true);
  });
});

describe("effectiveRoles", () => {
  it("orders roles and drops unknown ones", () => {
    expect(effectiveRoles(["operator", "root", "approver"])).toEqual([
      "viewer",
      "approver",
      "operator",
    ]);
  });
});

describe("grantsOf", () => {
  it("names what one group grants", () => {
    expect(grantsOf("sre", mapping)).toEqual(["operator"]);
    expect(grantsOf("developers", mapping)).toEqual([]);
  });
});

describe("groupsFromClaims", () => {
  it("reads the groups claim, GitLab's groups_direct as a fall-back", () => {
    expect(groupsFromClaims({ groups: ["sre", "sre", "", 7] })).toEqual(["sre"]);
    expect(groupsFromClaims({ groups_direct: ["acme/sre"] })).toEqual(["acme/sre"]);
    expect(groupsFromClaims({ groups: ["a"], groups_direct: ["b"] })).toEqual(["a"]);
  });

  it("treats a missing or malformed claim as no groups", () => {
    expect(groupsFromClaims({})).toEqual([]);
    expect(groupsFromClaims({ groups: "sre" })).toEqual([]);
  });
});
