// next-auth's configuration, built from lib/config.ts: JWT sessions, the OIDC provider when SSO
// is configured, the demo users' provider only in demo mode, and the callbacks that refuse who
// may not sign in (not in a `viewer=` group, disabled), upsert the user, record each sign-in and
// sign-out in the audit log, and end a session on the server: at sign-out, past its lifetime,
// and when its user's session version moved on.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { writeAudit } from "../audit";
import { config, type Config } from "../config";
import { pool } from "../db/pool";
import { log } from "../log";
import { checkDemoLogin, DEMO_GROUPS, DEMO_USERS, demoEmail } from "./demo-users";
import { oidcProvider, trustedClaims } from "./oidc";
import { userActor } from "./principal";
import { groupsFromClaims, maySignIn, rolesFromGroups, type Role } from "./roles";
import { lifetimeEnded, standingEnded, type SessionClaims } from "./session";
import { authSecret, publicUrl, SESSION_UPDATE_AGE_S, secureCookies } from "./settings";
import { endSessions, userStanding } from "./standing";
import {
  recordFailedSignIn,
  recordSignIn,
  signInDisabled,
  UserDisabled,
  type SignInIdentity,
} from "./users";

export const DEMO_PROVIDER_ID = "demo";

function demoProvider(password: string) {
  return CredentialsProvider({
    id: DEMO_PROVIDER_ID,
    name: "demo user",
    credentials: {
      username: { label: "User", type: "text" },
      password: { label: "Password", type: "password" },
    },
    async authorize(credentials) {
      const name = String(credentials?.username ?? "").trim();
      const user = checkDemoLogin(name, String(credentials?.password ?? ""), password);
      if (!user) {
        await recordFailedSignIn(pool(), {
          provider: DEMO_PROVIDER_ID,
          name,
          reason: "wrong user or password",
        });
        return null;
      }
      return { id: user, name: user, email: demoEmail(user) };
    },
  });
}

/** Who signed in, from what the provider handed to the jwt callback. */
function identityOf(
  cfg: Config,
  provider: string,
  subject: string,
  user: { name?: string | null; email?: string | null },
  profile: Record<string, unknown> | undefined,
): SignInIdentity {
  if (provider === DEMO_PROVIDER_ID) {
    const known = subject in DEMO_USERS ? (subject as keyof typeof DEMO_USERS) : null;
    const roles: Role[] = known ? DEMO_USERS[known] : ["viewer"];
    const groups = known ? DEMO_GROUPS[known] : [];
    return {
      provider,
      subject,
      username: subject,
      name: subject,
      email: user.email ?? null,
      groups,
      roles,
    };
  }
  // Only the ID token's verified claims: never the display name as an identity, never an
  // unverified e-mail (lib/auth/oidc.ts).
  const claims = trustedClaims({ sub: subject, ...(profile ?? {}) });
  const groups = groupsFromClaims(profile ?? {});
  return {
    provider,
    subject,
    username: claims.username,
    name: claims.name,
    email: claims.email,
    groups,
    roles: rolesFromGroups(groups, cfg.auth.roleGroups),
  };
}

/** The `?error=` codes Shiplog's own refusals send to /signin (lib/auth/sign-in-page.ts). */
export const SIGN_IN_REFUSED = {
  notInViewerGroup: "NotInViewerGroup",
  disabled: "AccountDisabled",
} as const;

/** Why this person may not sign in (an `?error=` code), or null when they may. */
async function refusal(cfg: Config, identity: SignInIdentity): Promise<string | null> {
  // The demo users stand for one role each and carry no groups: `viewer=` is for single sign-on.
  if (identity.provider !== DEMO_PROVIDER_ID && !maySignIn(identity.groups, cfg.auth.roleGroups)) {
    return SIGN_IN_REFUSED.notInViewerGroup;
  }
  if (await signInDisabled(pool(), identity)) return SIGN_IN_REFUSED.disabled;
  return null;
}

const REFUSAL_REASONS: Record<string, string> = {
  [SIGN_IN_REFUSED.notInViewerGroup]: "in none of the viewer= groups of SHIPLOG_ROLE_GROUPS",
  [SIGN_IN_REFUSED.disabled]: "the user is disabled",
};

export function buildAuthOptions(cfg: Config): NextAuthOptions {
  const providers: NextAuthOptions["providers"] = [];
  if (cfg.auth.oidc) providers.push(oidcProvider(cfg.auth.oidc));
  if (cfg.demo.enabled && cfg.demo.password) providers.push(demoProvider(cfg.demo.password));
  const lifetimeS = cfg.auth.sessionLifetimeS;
  const refusedUrl = (code: string) => {
    const url = new URL("/signin", publicUrl(cfg));
    url.searchParams.set("error", code);
    return url.toString();
  };
  return {
    providers,
    secret: authSecret(cfg),
    useSecureCookies: secureCookies(cfg),
    // The cookie's own expiry slides with use; the lifetime from sign-in is checked on its claims.
    session: {
      strategy: "jwt",
      maxAge: lifetimeS,
      updateAge: Math.min(SESSION_UPDATE_AGE_S, lifetimeS),
    },
    jwt: { maxAge: lifetimeS },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account) return false;
        const identity = identityOf(
          cfg,
          account.provider,
          account.providerAccountId,
          user,
          profile as Record<string, unknown> | undefined,
        );
        const code = await refusal(cfg, identity);
        if (!code) return true;
        await recordFailedSignIn(pool(), {
          provider: identity.provider,
          name: identity.email ?? identity.username,
          reason: REFUSAL_REASONS[code] ?? code,
        });
        return refusedUrl(code);
      },
      async jwt({ token, user, account, profile }) {
        if (!account || !user) {
          // A session being refreshed (/api/auth/session): past its lifetime, signed out or
          // disabled, it is not re-sealed; throwing here makes next-auth clear the cookie.
          const ended =
            lifetimeEnded(token, cfg) ??
            (typeof token.sub === "string"
              ? standingEnded(token, await userStanding(pool(), token.sub))
              : "it names no user");
          if (ended) throw new Error(`session not renewed: ${ended}`);
          return token;
        }
        const identity = identityOf(
          cfg,
          account.provider,
          account.providerAccountId,
          user,
          profile as Record<string, unknown> | undefined,
        );
        let signedIn: { id: string; sessionVersion: number };
        try {
          signedIn = await recordSignIn(pool(), identity);
        } catch (error) {
          // Disabled between the signIn callback and here: no session.
          if (error instanceof UserDisabled) throw new Error(SIGN_IN_REFUSED.disabled);
          throw error;
        }
        const claims: SessionClaims = {
          sub: signedIn.id,
          username: identity.username,
          name: identity.name,
          email: identity.email,
          roles: identity.roles,
          provider: identity.provider,
          signedInAt: Math.floor(Date.now() / 1000),
          sessionVersion: signedIn.sessionVersion,
        };
        return claims;
      },
      session({ session, token }) {
        return {
          ...session,
          user: {
            name: token.name ?? null,
            email: token.email ?? null,
            roles: Array.isArray(token.roles) ? token.roles : [],
          },
        };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sub !== "string") return;
        // Signing out ends the session on the server: a copy of the cookie kept elsewhere
        // (another tab's, a stolen one) stops working too, on every replica within seconds.
        await endSessions(pool(), token.sub);
        const email = typeof token.email === "string" ? token.email : null;
        const username = typeof token.username === "string" ? token.username : null;
        await writeAudit(pool(), {
          actor: userActor({ email, username, id: token.sub }),
          action: "auth.sign_out",
          target: `user:${token.sub}`,
          outcome: "success",
        });
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, err: metadata }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
}

let built: { for: Config; options: NextAuthOptions } | undefined;

/** The process's next-auth options, built on first use (never at build time). */
export function authOptions(): NextAuthOptions {
  const cfg = config();
  if (built?.for !== cfg) built = { for: cfg, options: buildAuthOptions(cfg) };
  return built.options;
}
