import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { checkDemoLogin, DEMO_USERS } from "./demo-users";
import { readCookie, sealSession, sessionPrincipal } from "./session";
import type { Standing } from "./standing";
import { authSecret, publicUrl, sessionCookieName } from "./settings";

const secret = "s".repeat(40);
const http = loadConfig({ AUTH_SECRET: secret, AUTH_URL: "http://localhost:3100" });
const https = loadConfig({ AUTH_SECRET: secret, AUTH_URL: "https://shiplog.example.com" });
const claims = {
  sub: "u1",
  username: "dev",
  name: "dev",
  email: "dev@demo.shiplog.invalid",
  roles: ["viewer" as const],
  provider: "demo",
};
/** The user row of `claims`: version 0, not disabled, the roles it holds now. */
const standing =
  (over: Partial<Standing> = {}) =>
  async () => ({
    sessionVersion: 0,
    disabled: false,
    roles: ["viewer" as const],
    ...over,
  });
const current = standing();

describe("settings", () => {
  it("names the cookie with __Secure- behind TLS", () => {
    expect(sessionCookieName(http)).toBe("next-auth.session-token");
    expect(sessionCookieName(https)).toBe("__Secure-next-auth.session-token");
  });

  it("defaults the public URL to localhost on PORT", () => {
    expect(publicUrl(loadConfig({ PORT: "4000" })).origin).toBe("http://localhost:4000");
  });

  it("derives a development key from DATABASE_URL and refuses none in production", () => {
    const a = authSecret(loadConfig({ DATABASE_URL: "postgresql://db/a" }));
    const b = authSecret(loadConfig({ DATABASE_URL: "postgresql://db/b" }));
    expect(a).not.toBe(b);
    expect(a).toHaveLength(43);
    expect(() => authSecret(loadConfig({ NODE_ENV: "production" }))).toThrow(
      "AUTH_SECRET is required in production",
    );
  });
});

describe("sessionPrincipal", () => {
  it("reads back a session next-auth sealed", async () => {
    const sealed = await sealSession(claims, http);
    expect(
      await sessionPrincipal(`other=1; next-auth.session-token=${sealed}`, http, current),
    ).toEqual({
      kind: "user",
      id: "u1",
      username: "dev",
      name: "dev",
      email: "dev@demo.shiplog.invalid",
      roles: ["viewer"],
      actor: "dev@demo.shiplog.invalid",
    });
  });

  it("takes the roles of the user row, not those sealed at sign-in", async () => {
    const sealed = await sealSession({ ...claims, roles: ["admin"] }, http);
    const cookie = `next-auth.session-token=${sealed}`;
    expect((await sessionPrincipal(cookie, http, current))?.roles).toEqual(["viewer"]);
    const admin = standing({ roles: ["viewer", "approver", "operator", "admin"] });
    expect((await sessionPrincipal(cookie, http, admin))?.roles).toEqual([
      "viewer",
      "approver",
      "operator",
      "admin",
    ]);
  });

  it("ends a session past its lifetime from sign-in, however freshly sealed", async () => {
    const now = Math.floor(Date.now() / 1000);
    const young = await sealSession({ ...claims, signedInAt: now - 43_100 }, http);
    const old = await sealSession({ ...claims, signedInAt: now - 43_200 }, http);
    expect(
      await sessionPrincipal(`next-auth.session-token=${young}`, http, current),
    ).not.toBeNull();
    expect(await sessionPrincipal(`next-auth.session-token=${old}`, http, current)).toBeNull();
    // A session sealed before sessions had a lifetime (no signedInAt) is over too.
    const legacy = await encode({ token: { ...claims }, secret });
    expect(await sessionPrincipal(`next-auth.session-token=${legacy}`, http, current)).toBeNull();
  });

  it("ends a session whose user moved on to a newer version, is disabled or is gone", async () => {
    const cookie = `next-auth.session-token=${await sealSession(claims, http)}`;
    expect(await sessionPrincipal(cookie, http, standing({ sessionVersion: 1 }))).toBeNull();
    expect(await sessionPrincipal(cookie, http, standing({ disabled: true }))).toBeNull();
    expect(await sessionPrincipal(cookie, http, async () => null)).toBeNull();
  });

  it("refuses another key, an expired session, the wrong cookie name and garbage", async () => {
    const sealed = await sealSession(claims, http);
    const other = loadConfig({ AUTH_SECRET: "t".repeat(40), AUTH_URL: "http://localhost:3100" });
    expect(await sessionPrincipal(`next-auth.session-token=${sealed}`, other, current)).toBeNull();
    const expired = await sealSession(claims, http, -60);
    expect(await sessionPrincipal(`next-auth.session-token=${expired}`, http, current)).toBeNull();
    expect(await sessionPrincipal(`next-auth.session-token=${sealed}`, https, current)).toBeNull();
    expect(await sessionPrincipal("next-auth.session-token=abc", http, current)).toBeNull();
    expect(await sessionPrincipal(null, http, current)).toBeNull();
  });
});

describe("readCookie", () => {
  it("joins next-auth's chunks in order", () => {
    expect(readCookie("x.1=b; x.0=a; x.10=d; x.2=c", "x")).toBe("abcd");
    expect(readCookie("x=whole; x.0=a", "x")).toBe("whole");
    expect(readCookie("y=1", "x")).toBeUndefined();
  });
});

describe("checkDemoLogin", () => {
  it("takes a known user with the right password only", () => {
    expect(checkDemoLogin("admin", "pw", "pw")).toBe("admin");
    expect(checkDemoLogin("admin", "PW", "pw")).toBeNull();
    expect(checkDemoLogin("root", "pw", "pw")).toBeNull();
    expect(DEMO_USERS).toEqual({
      dev: ["viewer"],
      approver: ["viewer", "approver"],
      operator: ["viewer", "operator"],
      admin: ["viewer", "approver", "operator", "admin"],
    });
  });
});
