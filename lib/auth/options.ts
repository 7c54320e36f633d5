// next-auth's configuration, built from lib/config.ts: JWT sessions, the OIDC provider when SSO
// is configured, the demo users' provider only in demo mode, and the callbacks that upsert the
// user and record each sign-in and sign-out in the audit log.
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
import { groupsFromClaims, rolesFromGroups, type Role } from "./roles";
import type { SessionClaims } from "./session";
import { authSecret, SESSION_MAX_AGE_S, SESSION_UPDATE_AGE_S, secureCookies } from "./settings";
import { recordFailedSignIn, recordSignIn, type SignInIdentity } from "./users";

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

export function buildAuthOptions(cfg: Config): NextAuthOptions {
  const providers: NextAuthOptions["providers"] = [];
  if (cfg.auth.oidc) providers.push(oidcProvider(cfg.auth.oidc));
  if (cfg.demo.enabled && cfg.demo.password) providers.push(demoProvider(cfg.demo.password));
  return {
    providers,
    secret: authSecret(cfg),
    useSecureCookies: secureCookies(cfg),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S, updateAge: SESSION_UPDATE_AGE_S },
    jwt: { maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async jwt({ token, user, account, profile }) {
        // Only on sign-in does next-auth pass the account; later calls keep the token as is.
        if (!account || !user) return token;
        const identity = identityOf(
          cfg,
          account.provider,
          account.providerAccountId,
          user,
          profile as Record<string, unknown> | undefined,
        );
        const userId = await recordSignIn(pool(), identity);
        const claims: SessionClaims = {
          sub: userId,
          username: identity.username,
          name: identity.name,
          email: identity.email,
          roles: identity.roles,
          provider: identity.provider,
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
