// Pages need a session: a signed-out visit goes to /signin and comes back afterwards. The API
// (its own 401s), the sign-in page, next-auth, health and static files are not matched here.
// This only routes people; what they may see and do is decided by the guard on the server (every
// page asks requirePageRole too). A session that has ended (lifetime, signed out, disabled) is
// signed out here like none. Behind TLS every answer carries Strict-Transport-Security.
import { NextResponse, type NextRequest } from "next/server";
import { config as shiplogConfig } from "@/lib/config";
import { sessionPrincipal } from "@/lib/auth/session";
import { userStanding } from "@/lib/auth/standing";
import { strictTransportSecurity } from "@/lib/auth/security-headers.mjs";
import { pool } from "@/lib/db/pool";

export async function proxy(request: NextRequest) {
  const cfg = shiplogConfig();
  // A session that cannot be checked (the database does not answer) is not sent to sign in:
  // the page asks the guard itself and shows what went wrong.
  const principal = await sessionPrincipal(request.headers.get("cookie"), cfg, (id) =>
    userStanding(pool(), id),
  ).catch(() => "unchecked" as const);
  let response: NextResponse;
  if (principal) {
    response = NextResponse.next();
  } else {
    // Behind a TLS-terminating proxy the request URL may be internal; AUTH_URL is what people open.
    const target = new URL("/signin", cfg.auth.url ?? request.url);
    target.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
    response = NextResponse.redirect(target);
  }
  const hsts = strictTransportSecurity(cfg.auth.url);
  if (hsts) response.headers.set(hsts.key, hsts.value);
  return response;
}

export const config = {
  matcher: ["/((?!api/|api$|_next/|signin|favicon\\.ico|icon\\.svg|metrics).*)"],
};
