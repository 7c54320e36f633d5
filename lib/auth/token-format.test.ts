import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  displayPrefix,
  generateToken,
  hashToken,
  isTokenFormat,
  parseBearer,
  parseLifetime,
} from "./token-format";

describe("generateToken", () => {
  it("makes shl_ and 43 base64url characters (32 random bytes), different every time", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^shl_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(4), "base64url")).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(isTokenFormat(a)).toBe(true);
  });
});

describe("hashToken", () => {
  it("is the hex SHA-256 of the whole token", () => {
    const token = `shl_${"A".repeat(43)}`;
    expect(hashToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    // FIPS 180-2 test vector.
    expect(hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("displayPrefix", () => {
  it("keeps shl_ and 8 characters", () => {
    expect(displayPrefix(`shl_abcdefgh${"x".repeat(35)}`)).toBe("shl_abcdefgh");
  });
});

describe("parseBearer", () => {
  const token = `shl_${"a".repeat(43)}`;

  it("reads a Bearer token, any case of the scheme", () => {
    expect(parseBearer(`Bearer ${token}`)).toEqual({ kind: "token", token });
    expect(parseBearer(`bearer  ${token} `)).toEqual({ kind: "token", token });
  });

  it("says nothing was sent", () => {
    expect(parseBearer(null)).toEqual({ kind: "none" });
  });

  it("refuses other schemes and other strings", () => {
    expect(parseBearer(`Basic ${token}`)).toEqual({
      kind: "malformed",
      reason: "Authorization must be Bearer <token>",
    });
    expect(parseBearer("Bearer")).toMatchObject({ kind: "malformed" });
    expect(parseBearer(`Bearer ${token}x`)).toEqual({
      kind: "malformed",
      reason: "the bearer token is not a Shiplog API token (shl_…)",
    });
    expect(parseBearer("Bearer eyJhbGciOiJkaXIifQ.x.y")).toMatchObject({ kind: "malformed" });
    expect(parseBearer(`Bearer ${token} extra`)).toMatchObject({ kind: "malformed" });
  });
});

describe("parseLifetime", () => {
  it("reads hours, days and weeks", () => {
    expect(parseLifetime("12h")).toBe(12 * 3_600_000);
    expect(parseLifetime("30d")).toBe(30 * 86_400_000);
    expect(parseLifetime("2w")).toBe(14 * 86_400_000);
  });

  it("refuses zero, other units, and more than five years", () => {
    for (const text of ["0d", "30", "1y", "-1d", "30 days", "2000d", ""]) {
      expect(parseLifetime(text), text).toBeUndefined();
    }
    expect(parseLifetime("1830d")).toBe(1830 * 86_400_000);
  });
});
