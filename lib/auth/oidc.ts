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

/**
 * What Shiplog trusts of an ID token: `sub`; the username (`preferred_username`, else `sub`); the
 * e-mail only when `email_verified` is true (a missing claim is not verified). The display name
 * (`name`) is shown, never trusted: people edit it themselves.
 */
export function trustedClaims(claims: Record<string, unknown>): {
  subject: string;
  username: string;
  email: string | null;
  name: string;
} {
  const text = (value: unknown) =>
    typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  const subject = text(claims.sub) ?? "";
  const username = text(claims.preferred_username) ?? subject;
  const email = claims.email_verified === true ? text(claims.email) : null;
  return { subject, username, email, name: text(claims.name) ?? username };
}

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
      const trusted = trustedClaims(claims);
      // The e-mail names the person in the audit log and links accounts: never an unverified one.
      return { id: trusted.subject, name: trusted.name, email: trusted.email };
    },
  };
}
