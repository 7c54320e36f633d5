// The signed-in person for server components and server actions, through the same guard as
// the API. The UI uses it to hide what someone may not do; the guard decides what they can.
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Forbidden, Unauthorized } from "../errors";
import { authenticate, requireRole } from "./guard";
import type { Principal } from "./principal";
import type { Role } from "./roles";

export type CurrentUser = { name: string; email: string | null; roles: Role[] };

/** The person behind this request's session cookie, or null. */
export async function currentUser(): Promise<CurrentUser | null> {
  const principal = await authenticate(await headers()).catch(() => null);
  if (!principal || principal.kind !== "user") return null;
  return { name: principal.name, email: principal.email, roles: principal.roles };
}

/**
 * For a protected page: signed out → /signin (and back here afterwards); signed in without
 * `role` → `{ forbidden }` with the reason, for the page to show instead of its content.
 */
export async function requirePageRole(
  role: Role,
  path: string,
): Promise<{ principal: Principal; forbidden?: undefined } | { forbidden: string }> {
  try {
    return { principal: await requireRole(await headers(), role) };
  } catch (error) {
    if (error instanceof Unauthorized) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
    if (error instanceof Forbidden) return { forbidden: error.message };
    throw error;
  }
}
