// The demo users of `npm run demo`: one per role, sharing one password. They exist only while
// demo mode is on (SHIPLOG_DEMO=true); lib/auth/options.ts adds their provider only then.
import { createHash, timingSafeEqual } from "node:crypto";
import { effectiveRoles, type Role } from "./roles";

export const DEMO_USERS = {
  dev: effectiveRoles([]),
  approver: effectiveRoles(["approver"]),
  operator: effectiveRoles(["operator"]),
  admin: effectiveRoles(["admin"]),
} satisfies Record<string, Role[]>;

export type DemoUserName = keyof typeof DEMO_USERS;

/**
 * Their groups, as a single sign-on provider would send them. The demo's release pipeline names
 * `group:release-managers` among a production gate's approvers, so `approver` can decide it.
 */
export const DEMO_GROUPS: Record<DemoUserName, string[]> = {
  dev: [],
  approver: ["release-managers"],
  operator: [],
  admin: [],
};

export const DEMO_USER_NAMES = Object.keys(DEMO_USERS) as DemoUserName[];

/** A reserved domain (RFC 2606), so a demo address can never reach anyone. */
export function demoEmail(name: DemoUserName): string {
  return `${name}@demo.shiplog.invalid`;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** The demo user for a name and password, or null; the comparison takes the same time either way. */
export function checkDemoLogin(
  name: string,
  password: string,
  expected: string,
): DemoUserName | null {
  const passwordOk = timingSafeEqual(digest(password), digest(expected));
  const known = (DEMO_USER_NAMES as string[]).includes(name);
  return passwordOk && known ? (name as DemoUserName) : null;
}
