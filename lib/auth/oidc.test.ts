import { describe, expect, it } from "vitest";
import { oidcProvider, trustedClaims } from "./oidc";

describe("the OIDC provider's profile", () => {
  it("keeps the e-mail only when the issuer says it is verified", async () => {
    const provider = oidcProvider({
      issuer: "https://id.example.com/",
      clientId: "c",
      clientSecret: "s",
      scopes: ["openid", "email", "profile", "groups"],
    });
    expect(provider.wellKnown).toBe("https://id.example.com/.well-known/openid-configuration");
    expect(provider.checks).toEqual(["pkce", "state"]);
    expect(provider.authorization).toEqual({ params: { scope: "openid email profile groups" } });
    const profile = (claims: Record<string, unknown>) =>
      provider.profile({ sub: "s1", ...claims } as never, {});
    expect(
      await profile({ email: "a@x.io", email_verified: true, preferred_username: "ann" }),
    ).toEqual({ id: "s1", name: "ann", email: "a@x.io" });
    expect(await profile({ email: "a@x.io", email_verified: false, name: "Ann" })).toEqual({
      id: "s1",
      name: "Ann",
      email: null,
    });
    // A missing claim is not a verified one; nor is the string "true".
    expect(await profile({ email: "a@x.io", name: "Ann" })).toMatchObject({ email: null });
    expect(await profile({ email: "a@x.io", email_verified: "true" })).toMatchObject({
      email: null,
    });
  });
});

describe("trustedClaims", () => {
  it("takes the username from preferred_username, else sub; never from name", () => {
    expect(trustedClaims({ sub: "s1", preferred_username: "ann", name: "alice" })).toEqual({
      subject: "s1",
      username: "ann",
      email: null,
      name: "alice",
    });
    expect(trustedClaims({ sub: "s1", name: "alice" })).toMatchObject({ username: "s1" });
    expect(trustedClaims({ sub: "s1", preferred_username: "  " })).toMatchObject({
      username: "s1",
      name: "s1",
    });
  });
});
