// What the sign-in page shows and where it sends people afterwards. Pure.

/**
 * A callback URL that stays on Shiplog: a local path, never `//host` or `/\host` (which browsers
 * read as another host), never back to /signin. Anything else is "/".
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) return "/";
  if (value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  if (value === "/signin" || value.startsWith("/signin?") || value.startsWith("/signin/")) {
    return "/";
  }
  return value;
}

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong user name or password.",
  OAuthSignin: "Single sign-on could not start. Check AUTH_OIDC_ISSUER and try again.",
  OAuthCallback: "The identity provider's answer could not be verified. Try again.",
  OAuthAccountNotLinked: "This account is linked to another sign-in method.",
  Callback: "Signing in failed on the server. Try again, or ask an administrator.",
  AccessDenied: "Access was denied.",
  Configuration: "Sign-in is misconfigured on the server. Ask an administrator.",
  SessionRequired: "Please sign in to continue.",
  // Shiplog's own refusals (lib/auth/options.ts SIGN_IN_REFUSED).
  NotInViewerGroup:
    "Your account is in none of the groups allowed to use Shiplog. Ask an administrator to add you to one.",
  AccountDisabled: "Your Shiplog account is disabled. Ask an administrator to enable it.",
};

/** A sentence for next-auth's `?error=` code; unknown codes get a generic one. */
export function signInErrorMessage(code: unknown): string | null {
  if (typeof code !== "string" || code === "") return null;
  return MESSAGES[code] ?? "Signing in failed. Try again.";
}
