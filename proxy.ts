// Pages need a session: a signed-out visit goes to /signin and comes back afterwards. The API
// (its own 401s), the sign-in page, next-auth, health and static files are not matched here.
// This only routes people; what they may see and do is decided by the guard on the server.
import { NextResponse, type NextRequest } from "next/server";
import { config as shiplogConfig } from "@/lib/config";
import { sessionPrincipal } from "@/lib/auth/session";

export async function proxy(request: NextRequest) {
  const cfg = shiplogConfig();
  const principal = await sessionPrincipal(request.headers.get("cookie"), cfg).catch(() => null);
  if (principal) return NextResponse.next();
  // Behind a TLS-terminating proxy the request URL may be internal; AUTH_URL is what people open.
  const target = new URL("/signin", cfg.auth.url ?? request.url);
  target.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(target);
}

export const config = {
  matcher: ["/((?!api/|api$|_next/|signin|favicon\\.ico|icon\\.svg|metrics).*)"],
};
