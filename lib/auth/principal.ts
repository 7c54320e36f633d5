// Who is asking: a signed-in person (session cookie) or an API token, with the roles it holds
// and the name the audit log gives it.
import type { Role } from "./roles";

export type UserPrincipal = {
  kind: "user";
  id: string;
  /** The identity provider's username; null in a session sealed before Shiplog kept it. */
  username: string | null;
  /** Display name: shown, never trusted. */
  name: string;
  email: string | null;
  roles: Role[];
  actor: string;
};

export type TokenPrincipal = {
  kind: "token";
  id: string;
  name: string;
  roles: Role[];
  actor: string;
};

export type Principal = UserPrincipal | TokenPrincipal;

/**
 * How the audit log names a person: verified e-mail, else the provider's username, else the id;
 * never the display name, which anyone can set to someone else's.
 */
export function userActor(user: { email: string | null; username: string | null; id: string }) {
  return user.email ?? user.username ?? `user:${user.id}`;
}

/** How the audit log names a token; names need not be unique, the target id is. */
export function tokenActor(name: string): string {
  return `token:${name}`;
}

/** `dev@… (viewer)` / `token "ci" (operator)`, for 403 messages. */
export function describePrincipal(principal: Principal): string {
  const who = principal.kind === "user" ? principal.actor : `token "${principal.name}"`;
  return `${who} has ${principal.roles.join(", ")}`;
}
