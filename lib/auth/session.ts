// The session cookie next-auth writes (an encrypted JWT), read back into a principal. The guard,
// the page helpers and proxy.ts all read sessions here, with the same key and cookie name.
import { decode, encode } from "next-auth/jwt";
import type { Config } from "../config";
import { effectiveRoles, isRole, type Role } from "./roles";
import { authSecret, SESSION_MAX_AGE_S, sessionCookieName } from "./settings";
import { userActor, type UserPrincipal } from "./principal";

/** What Shiplog keeps in the session JWT besides next-auth's own fields. */
export type SessionClaims = {
  sub: string;
  /** The identity provider's username (stable); `name` is only for display. */
  username: string;
  name: string;
  email: string | null;
  roles: Role[];
  provider: string;
};

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

/** The principal of a valid, unexpired session cookie; null for none or anything else. */
export async function sessionPrincipal(
  cookieHeader: string | null,
  config: Config,
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
  if (!claims || typeof claims.sub !== "string" || !Array.isArray(claims.roles)) return null;
  const name = typeof claims.name === "string" ? claims.name : claims.sub;
  const email = typeof claims.email === "string" ? claims.email : null;
  const username = typeof claims.username === "string" ? claims.username : null;
  return {
    kind: "user",
    id: claims.sub,
    username,
    name,
    email,
    roles: effectiveRoles(claims.roles.filter(isRole)),
    actor: userActor({ email, username, id: claims.sub }),
  };
}

/** Seals claims the way next-auth does; tests use it to hold a session without a browser. */
export async function sealSession(
  claims: SessionClaims,
  config: Config,
  maxAgeS = SESSION_MAX_AGE_S,
): Promise<string> {
  return encode({ token: { ...claims }, secret: authSecret(config), maxAge: maxAgeS });
}
