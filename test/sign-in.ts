// Test-only: a single sign-on as next-auth runs it once the ID token is verified — the OIDC
// provider's profile(), Shiplog's signIn callback (which may refuse the person), then its jwt
// callback (which records the user) — and the session cookie it seals. The claims are whatever
// the identity provider would send.
// next-auth's options are imported when first needed: they reach the app's logger, which reads
// the configuration once, so a test points the environment at its database first.
import { oidcProvider } from "@/lib/auth/oidc";
import { sealSession, type SessionClaims } from "@/lib/auth/session";
import { sessionCookieName } from "@/lib/auth/settings";
import type { Config } from "@/lib/config";

/** The environment variables that turn single sign-on on for `oidcSignIn`. */
export const OIDC_ENV = {
  AUTH_OIDC_ISSUER: "https://id.example.com",
  AUTH_OIDC_CLIENT_ID: "shiplog",
  AUTH_OIDC_CLIENT_SECRET: "test-client-secret",
};

export type SignedIn = {
  /** The users.id the session names. */
  userId: string;
  /** A Cookie header carrying the session. */
  cookie: string;
  claims: SessionClaims;
};

/** Where next-auth sends someone its signIn callback refused. */
export class SignInRefused extends Error {
  constructor(readonly redirect: string) {
    super(`sign-in refused: ${redirect}`);
  }
}

export async function oidcSignIn(
  config: Config,
  idToken: Record<string, unknown> & { sub: string },
): Promise<SignedIn> {
  if (!config.auth.oidc) throw new Error("oidcSignIn needs OIDC_ENV in the configuration");
  const provider = oidcProvider(config.auth.oidc);
  const user = await provider.profile(idToken as never, {});
  const { buildAuthOptions } = await import("@/lib/auth/options");
  const { callbacks } = buildAuthOptions(config);
  const account = { provider: "oidc", providerAccountId: idToken.sub, type: "oauth" as const };
  // As next-auth's OAuth callback: false is AccessDenied, a string is where to send the person.
  const allowed = callbacks?.signIn
    ? await callbacks.signIn({ user: user as never, account, profile: idToken as never })
    : true;
  if (allowed !== true) {
    throw new SignInRefused(typeof allowed === "string" ? allowed : "/signin?error=AccessDenied");
  }
  const jwt = callbacks?.jwt;
  if (!jwt) throw new Error("no jwt callback");
  const claims = (await jwt({
    token: {},
    user: user as never,
    account,
    profile: idToken as never,
    trigger: "signIn",
  })) as SessionClaims;
  const sealed = await sealSession(claims, config);
  return { userId: claims.sub, cookie: `${sessionCookieName(config)}=${sealed}`, claims };
}
