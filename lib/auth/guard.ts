// The one server-side guard: every route handler (through route() in lib/http.ts), server
// action and protected page asks it who is calling and whether they hold the role.
// 401 without valid credentials, 403 with the wrong role or a cross-site mutation.
import "server-only";
import { config } from "../config";
import { pool } from "../db/pool";
import { Forbidden, Unauthorized } from "../errors";
import { crossSiteProblem, isSafeMethod } from "./csrf";
import { describePrincipal, type Principal } from "./principal";
import { hasRole, type Role } from "./roles";
import { sessionPrincipal } from "./session";
import { parseBearer } from "./token-format";
import { authenticateToken } from "./tokens";

export type GuardSource = Request | Headers;

const headersOf = (source: GuardSource) => (source instanceof Request ? source.headers : source);

/**
 * A Request changes something unless its method is safe; for the headers of a server action
 * (Next sends them with `Next-Action`) it does too; page renders read.
 */
function isMutation(source: GuardSource): boolean {
  return source instanceof Request ? !isSafeMethod(source.method) : source.has("next-action");
}

/**
 * The caller: a Bearer token when an Authorization header is sent (a bad one is a 401, never
 * a fall-back to the cookie), else the session cookie, else null.
 */
export async function authenticate(source: GuardSource): Promise<Principal | null> {
  const headers = headersOf(source);
  const bearer = parseBearer(headers.get("authorization"));
  if (bearer.kind === "malformed") throw new Unauthorized(bearer.reason);
  if (bearer.kind === "token") return authenticateToken(pool(), bearer.token);
  return sessionPrincipal(headers.get("cookie"), config());
}

/**
 * The caller, when they may act as `role`. A session-cookie mutation must also come from
 * Shiplog's own origin (CSRF); token requests carry no ambient credentials and are exempt.
 */
export async function requireRole(
  source: GuardSource,
  role: Role,
  options: { mutation?: boolean } = {},
): Promise<Principal> {
  const principal = await authenticate(source);
  if (!principal) {
    throw new Unauthorized("sign in, or send an API token as Authorization: Bearer <token>");
  }
  if (principal.kind === "user" && (options.mutation ?? isMutation(source))) {
    const problem = crossSiteProblem(headersOf(source), config().auth.url);
    if (problem) throw new Forbidden(problem);
  }
  if (!hasRole(principal.roles, role)) {
    throw new Forbidden(`this needs the ${role} role; ${describePrincipal(principal)}`);
  }
  return principal;
}
