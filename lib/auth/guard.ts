// The one server-side guard: every route handler (through route() in lib/http.ts), server
// action and protected page asks it who is calling and whether they hold the role.
// 401 without valid credentials, 403 with the wrong role or a cross-site mutation.
import "server-only";
import { writeAudit } from "../audit";
import { config } from "../config";
import { pool } from "../db/pool";
import { Forbidden, Unauthorized } from "../errors";
import { log } from "../log";
import { crossSiteProblem, isSafeMethod } from "./csrf";
import { describePrincipal, type Principal } from "./principal";
import { hasRole, type Role } from "./roles";
import { sessionPrincipal } from "./session";
import { userStanding } from "./standing";
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
  return sessionPrincipal(headers.get("cookie"), config(), (id) => userStanding(pool(), id));
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
  const mutation = options.mutation ?? isMutation(source);
  if (principal.kind === "user" && mutation) {
    const problem = crossSiteProblem(headersOf(source), config().auth.url);
    if (problem) throw await refused(source, principal, problem);
  }
  if (!hasRole(principal.roles, role)) {
    const reason = `this needs the ${role} role; ${describePrincipal(principal)}`;
    throw mutation ? await refused(source, principal, reason) : new Forbidden(reason);
  }
  return principal;
}

/**
 * A refused attempt to change something is audited too (who tried what, and why not). The
 * refusal stands even when the audit log cannot be written; that failure is logged.
 */
async function refused(source: GuardSource, principal: Principal, reason: string) {
  const target =
    source instanceof Request
      ? `${source.method} ${new URL(source.url).pathname}`
      : `server action ${source.get("next-action") ?? ""}`.trim();
  try {
    await writeAudit(pool(), {
      actor: principal.actor,
      action: "access.denied",
      target,
      outcome: "denied",
      details: { reason },
    });
  } catch (err) {
    log.warn({ err, actor: principal.actor, target }, "could not audit a refused request");
  }
  return new Forbidden(reason);
}
