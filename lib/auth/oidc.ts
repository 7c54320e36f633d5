// The generic OpenID Connect provider (GitLab, Keycloak, Dex, …): discovery from the issuer,
// PKCE and state, and the person's groups read from the ID token.
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { Config } from "../config";

export type OidcClaims = Record<string, unknown> & {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
};

export const OIDC_PROVIDER_ID = "oidc";

export function oidcProvider(oidc: NonNullable<Config["auth"]["oidc"]>): OAuthConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: "single sign-on",
    type: "oauth",
    wellKnown: `${oidc.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: oidc.scopes.join(" ") } },
    // The profile is the verified ID token's claims, groups included.
    idToken: true,
    checks: ["pkce", "state"],
    profile(claims) {
      return {
        id: claims.sub,
        name: claims.name ?? claims.preferred_username ?? claims.email ?? claims.sub,
        // The e-mail names the person in the audit log and links accounts: never an unverified one.
        email: claims.email_verified === false ? null : (claims.email ?? null),
      };
    },
  };
}
