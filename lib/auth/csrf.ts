// Cross-site request forgery check for requests that a session cookie authenticates: a change
// must come from a page of Shiplog itself. SameSite=Lax cookies already stop most forged
// requests; this also covers sibling subdomains and old browsers. Pure.

/**
 * Why a cookie-authenticated mutation is refused, or null when it is same-origin. With AUTH_URL
 * the Origin must be its origin; without it (development) the Origin's host must be the Host the
 * request came to. Browsers send Origin on every POST, PUT, PATCH and DELETE; a request without
 * one passes only when Sec-Fetch-Site says same-origin.
 */
export function crossSiteProblem(headers: Headers, authUrl: string | undefined): string | null {
  const origin = headers.get("origin");
  if (origin === null) {
    return headers.get("sec-fetch-site") === "same-origin"
      ? null
      : "cross-site request refused: no Origin header";
  }
  if (authUrl !== undefined) {
    const expected = new URL(authUrl).origin;
    return origin === expected
      ? null
      : `cross-site request refused: Origin ${origin} is not ${expected}`;
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `cross-site request refused: Origin ${origin} is not a URL`;
  }
  return host === headers.get("host")
    ? null
    : `cross-site request refused: Origin ${origin} does not match Host ${headers.get("host") ?? "(none)"}`;
}

/** Methods that change nothing and so need no CSRF check. */
export function isSafeMethod(method: string): boolean {
  return ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}
