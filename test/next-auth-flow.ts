// Test-only: next-auth's own request handling (its core, as app/api/auth/[...nextauth] runs it)
// with Shiplog's options, driven the way a browser drives it: the CSRF token and its cookie, the
// demo users' credentials callback, a session refresh (/api/auth/session) and sign-out. A
// browser's cookie jar is kept in `Jar`, so that a test can copy a cookie the way a thief would.
import NextAuth, { type NextAuthOptions } from "next-auth";

export const AUTH_ORIGIN = "http://localhost";

/** A browser's cookies for Shiplog: what next-auth set, minus what it cleared. */
export class Jar {
  readonly values = new Map<string, string>();
  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  take(cookies: { name: string; value: string; options?: { maxAge?: number } }[] = []) {
    for (const cookie of cookies) {
      if (cookie.value === "" || cookie.options?.maxAge === 0) this.values.delete(cookie.name);
      else this.values.set(cookie.name, cookie.value);
    }
  }
  get session(): string | undefined {
    return this.values.get("next-auth.session-token");
  }
  /** A Cookie header carrying just the session (what a stolen cookie amounts to). */
  sessionCookie(): string {
    return `next-auth.session-token=${this.session ?? ""}`;
  }
}

/** What next-auth answered: status, JSON body, where it redirects (`json: "true"` requests). */
export type AuthAnswer = { status: number; body: unknown; redirect: string | undefined };

/**
 * One request to next-auth at /api/auth/<path>, through its exported handler (the Pages-router
 * form of the one app/api/auth/[...nextauth] serves: both run next-auth's core the same way);
 * its cookies land in `jar`.
 */
export async function nextAuth(
  options: NextAuthOptions,
  jar: Jar,
  method: "GET" | "POST",
  path: string,
  body?: Record<string, string>,
): Promise<AuthAnswer> {
  const setCookies: string[] = [];
  const answer: AuthAnswer = { status: 200, body: undefined, redirect: undefined };
  const res = {
    status(code: number) {
      answer.status = code;
      return res;
    },
    getHeader: (name: string) => (name.toLowerCase() === "set-cookie" ? setCookies : undefined),
    setHeader(name: string, value: string | string[]) {
      if (name.toLowerCase() === "set-cookie") {
        setCookies.splice(0, setCookies.length, ...(Array.isArray(value) ? value : [value]));
      }
      if (name.toLowerCase() === "location") answer.redirect = String(value);
      return res;
    },
    json(value: unknown) {
      answer.body = value;
      if (value && typeof value === "object" && "url" in value) {
        answer.redirect = String((value as { url: unknown }).url);
      }
    },
    send(value: unknown) {
      answer.body = value;
    },
    end() {},
  };
  const req = {
    method,
    query: { nextauth: path.split("/") },
    body: body ?? {},
    cookies: Object.fromEntries(jar.values),
    headers: { host: new URL(AUTH_ORIGIN).host, cookie: jar.header() },
  };
  await NextAuth(req as never, res as never, options);
  jar.take(setCookies.map(parseSetCookie));
  return answer;
}

/** `name=value; Max-Age=0; …` → the parts the jar needs. */
function parseSetCookie(header: string) {
  const [pair, ...attributes] = header.split(";");
  const at = pair!.indexOf("=");
  const maxAge = attributes
    .map((a) => a.trim().split("="))
    .find(([key]) => key?.toLowerCase() === "max-age")?.[1];
  const expires = attributes
    .map((a) => a.trim().split("="))
    .find(([key]) => key?.toLowerCase() === "expires")?.[1];
  const gone =
    maxAge === "0" || (expires !== undefined && new Date(expires).getTime() <= Date.now());
  return {
    name: pair!.slice(0, at).trim(),
    value: decodeURIComponent(pair!.slice(at + 1).trim()),
    options: gone ? { maxAge: 0 } : {},
  };
}

async function csrfToken(options: NextAuthOptions, jar: Jar): Promise<string> {
  const response = await nextAuth(options, jar, "GET", "csrf");
  return (response.body as { csrfToken: string }).csrfToken;
}

/** Signs a demo user in through the credentials callback, as the sign-in form does. */
export async function demoSignIn(
  options: NextAuthOptions,
  jar: Jar,
  username: string,
  password: string,
) {
  const csrf = await csrfToken(options, jar);
  return nextAuth(options, jar, "POST", "callback/demo", {
    csrfToken: csrf,
    username,
    password,
    json: "true",
  });
}

/** Signs out as the user menu does. */
export async function signOut(options: NextAuthOptions, jar: Jar) {
  const csrf = await csrfToken(options, jar);
  return nextAuth(options, jar, "POST", "signout", { csrfToken: csrf, json: "true" });
}

/** What the browser asks every few minutes: next-auth re-seals the session and sets it again. */
export function refreshSession(options: NextAuthOptions, jar: Jar) {
  return nextAuth(options, jar, "GET", "session");
}
