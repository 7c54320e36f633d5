import { describe, expect, it } from "vitest";
import { oidcProvider } from "./oidc";

describe("the OIDC provider's profile", () => {
  it("keeps the e-mail unless the issuer says it is unverified", async () => {
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
    expect(await profile({ email: "a@x.io", preferred_username: "ann" })).toEqual({
      id: "s1",
      name: "ann",
      email: "a@x.io",
    });
    expect(await profile({ email: "a@x.io", email_verified: false, name: "Ann" })).toEqual({
      id: "s1",
      name: "Ann",
      email: null,
    });
  });
});
