// Security headers for every response, used by next.config.js (plain JS, so that the config can
// import it without a TypeScript loader). Scripts keep 'unsafe-inline': Next.js streams inline
// <script> tags with the page data, and nonces would force every page through proxy.ts to mint
// one; Shiplog renders no user-supplied HTML, so inline injection has no way in. 'unsafe-eval'
// only in development, where React's dev tooling needs it.

/**
 * The Content-Security-Policy value.
 * @param {{ dev: boolean }} options
 * @returns {string}
 */
export function contentSecurityPolicy({ dev }) {
  const directives = [
    ["default-src", "'self'"],
    ["script-src", "'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    // Server-sent events and API calls go to Shiplog itself; dev adds the HMR websocket.
    ["connect-src", "'self'", ...(dev ? ["ws:", "wss:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((parts) => parts.join(" ")).join("; ");
}

/** A year, with subdomains: what browsers keep once they have seen Shiplog over TLS. */
export const HSTS_MAX_AGE_S = 31_536_000;

/**
 * Strict-Transport-Security when people open Shiplog over https (AUTH_URL), else null. Sent at
 * run time (proxy.ts, lib/http.ts route()), since AUTH_URL is set where Shiplog runs, not where
 * it is built.
 * @param {string | undefined} authUrl
 * @returns {{ key: string, value: string } | null}
 */
export function strictTransportSecurity(authUrl) {
  if (!authUrl?.startsWith("https://")) return null;
  return {
    key: "Strict-Transport-Security",
    value: `max-age=${HSTS_MAX_AGE_S}; includeSubDomains`,
  };
}

/**
 * Every header, as next.config.js `headers()` wants them.
 * @param {{ dev: boolean }} options
 * @returns {{ key: string, value: string }[]}
 */
export function securityHeaders({ dev }) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy({ dev }) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}
