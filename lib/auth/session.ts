// The session cookie next-auth writes (an encrypted JWT), read back into a principal. The guard,
// the page helpers and proxy.ts all read sessions here, with the same key and cookie name. A
// session holds while it is younger than SHIPLOG_SESSION_LIFETIME (from sign-in, however often
// next-auth re-sealed it) and its person's row agrees (lib/auth/standing.ts): the same session
// version, not disabled. Roles come from that row, not from what was sealed at sign-in.
import { decode, encode } from "next-auth/jwt";
import type { Config } from "../config";
import type { Role } from "./roles";
import { authSecret, SESSION_MAX_AGE_S, sessionCookieName } from "./settings";
import { userActor, type UserPrincipal } from "./principal";
import type { Standing } from "./standing";

/** What Shiplog keeps in the session JWT besides next-auth's own fields. */
export type SessionClaims = {
  sub: string;
  /** The identity provider's username (stable); `name` is only for display. */
  username: string;
  name: string;
  email: string | null;
  roles: Role[];
  provider: string;
  /** When the person signed in (seconds since the epoch): the session ends a lifetime after. */
  signedInAt: number;
  /** The user's session version at sign-in; sign-out and disabling raise the stored one. */
  sessionVersion: number;
};

/** Looks up a person's standing by user id (lib/auth/standing.ts userStanding, on a pool). */
export type StandingLookup = (userId: string) => Promise<Standing | null>;

/** Why sealed claims are past their lifetime (or never had one); null while they are within it. */
export function lifetimeEnded(
  claims: Record<string, unknown>,
  config: Config,
  nowS: number = Date.now() / 1000,
): string | null {
  const signedInAt = claims.signedInAt;
  if (typeof signedInAt !== "number" || typeof claims.sessionVersion !== "number") {
    return "it was sealed before sessions had a lifetime";
  }
  if (nowS >= signedInAt + config.auth.sessionLifetimeS) return "it is past its lifetime";
  return null;
}

/** Why the person's row ends sealed claims; null when it agrees with them. */
export function standingEnded(
  claims: Record<string, unknown>,
  standing: Standing | null,
): string | null {
  if (!standing) return "its user is gone";
  if (standing.disabled) return "its user is disabled";
  if (standing.sessionVersion !== claims.sessionVersion) return "it was ended (signed out)";
  return null;
}

/** One cookie's value from a Cookie header, joining next-auth's chunks (`name.0`, `name.1`, …). */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  const jar = new Map<string, string>();
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    let value = part.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep the raw value: a JWT never needs decoding anyway
    }
    if (!jar.has(key)) jar.set(key, value);
  }
  const whole = jar.get(name);
  if (whole !== undefined) return whole;
  const chunks = [...jar.entries()]
    .filter(([key]) => key.startsWith(`${name}.`) && /^\d+$/.test(key.slice(name.length + 1)))
    .sort(([a], [b]) => Number(a.slice(name.length + 1)) - Number(b.slice(name.length + 1)));
  return chunks.length ? chunks.map(([, value]) => value).join("") : undefined;
}

/**
 * The principal of a valid session cookie: unexpired, within its lifetime, its version current
 * and its user not disabled (asked of `standing`); null for none or anything else.
 */
export async function sessionPrincipal(
  cookieHeader: string | null,
  config: Config,
  standing: StandingLookup,
): Promise<UserPrincipal | null> {
  const sealed = readCookie(cookieHeader, sessionCookieName(config));
  if (!sealed) return null;
  let claims: Record<string, unknown> | null;
  try {
    claims = (await decode({ token: sealed, secret: authSecret(config) })) as Record<
      string,
      unknown
    > | null;
  } catch {
    return null;
  }
  if (!claims || typeof claims.sub !== "string") return null;
  // Checked before the row is read: a session past its lifetime costs no query.
  if (lifetimeEnded(claims, config)) return null;
  const now = await standing(claims.sub);
  if (!now || standingEnded(claims, now)) return null;
  const name = typeof claims.name === "string" ? claims.name : claims.sub;
  const email = typeof claims.email === "string" ? claims.email : null;
  const username = typeof claims.username === "string" ? claims.username : null;
  return {
    kind: "user",
    id: claims.sub,
    username,
    name,
    email,
    roles: now.roles,
    actor: userActor({ email, username, id: claims.sub }),
  };
}

/**
 * Seals claims the way next-auth does; tests use it to hold a session without a browser. A
 * session signed in now, at session version 0, unless the claims say otherwise.
 */
export async function sealSession(
  claims: Omit<SessionClaims, "signedInAt" | "sessionVersion"> &
    Partial<Pick<SessionClaims, "signedInAt" | "sessionVersion">>,
  config: Config,
  maxAgeS = SESSION_MAX_AGE_S,
): Promise<string> {
  const token = { signedInAt: Math.floor(Date.now() / 1000), sessionVersion: 0, ...claims };
  return encode({ token, secret: authSecret(config), maxAge: maxAgeS });
}
