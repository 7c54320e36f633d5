// Sign-in settings derived from the configuration: the public URL, the key that seals session
// cookies and the cookie's name. Every part of auth (next-auth, the guard, proxy.ts) reads them
// here, so the cookie next-auth writes is the cookie the guard reads.
import { createHash } from "node:crypto";
import { ConfigError, type Config } from "../config";

/**
 * The default session lifetime (SHIPLOG_SESSION_LIFETIME); what a sealed cookie is given when
 * nothing else is said. The lifetime itself is counted from sign-in (lib/auth/session.ts).
 */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** A session in use is re-sealed at most this often (sliding expiry). */
export const SESSION_UPDATE_AGE_S = 60 * 60;

/** The URL people open: AUTH_URL, else this machine on PORT (development and tests). */
export function publicUrl(config: Config): URL {
  return new URL(config.auth.url ?? `http://localhost:${config.port}`);
}

/** Behind TLS cookies are Secure and carry the __Secure- prefix. */
export function secureCookies(config: Config): boolean {
  return publicUrl(config).protocol === "https:";
}

export function sessionCookieName(config: Config): string {
  return `${secureCookies(config) ? "__Secure-" : ""}next-auth.session-token`;
}

/**
 * AUTH_SECRET. Production refuses to start without it (requireAuthConfig); in development and
 * tests a key derived from DATABASE_URL stands in, so that `next dev` works without set-up yet
 * sessions from one database are not valid against another.
 */
export function authSecret(config: Config): string {
  if (config.auth.secret) return config.auth.secret;
  if (config.nodeEnv === "production") {
    throw new ConfigError("AUTH_SECRET", "is required in production");
  }
  return createHash("sha256")
    .update(`shiplog development session key\0${config.databaseUrl ?? ""}`)
    .digest("base64url");
}
