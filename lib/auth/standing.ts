// Whether a person's sessions still hold: their session version, whether an administrator
// disabled them, and the roles on their user row. Every request with a session cookie asks; the
// answer is reused for a few seconds per person so that requests do not each read the row.
// Plain SQL on a node-postgres pool, so that `npm run user` can end sessions too.
import type pg from "pg";
import type { Queryable } from "../db/pool";
import { effectiveRoles, isRole, type Role } from "./roles";

export type Standing = { sessionVersion: number; disabled: boolean; roles: Role[] };

/**
 * How long a person's row, once read, answers for them in this process. Sign-out and disabling
 * forget it at once in the process that made the change; other replicas (and `npm run user`)
 * reach theirs within this time.
 */
export const STANDING_REUSE_MS = 5_000;
const REMEMBERED = 5_000;

// One map per process, shared by every copy of this module (Next bundles routes apart).
const globalForStanding = globalThis as unknown as {
  shiplogStanding?: Map<string, { standing: Standing | null; until: number }>;
};
const recent = (globalForStanding.shiplogStanding ??= new Map());

/** Forgets what this process knows of a person (after their sessions were ended). */
export function forgetStanding(userId: string): void {
  recent.delete(userId);
}

/** The person's standing; null when there is no such user (their sessions name no one). */
export async function userStanding(
  pool: pg.Pool,
  userId: string,
  now: number = Date.now(),
): Promise<Standing | null> {
  const known = recent.get(userId);
  if (known && known.until > now) return known.standing;
  const { rows } = await pool.query<{
    session_version: number;
    disabled_at: Date | null;
    roles: string[];
  }>("select session_version, disabled_at, roles from users where id = $1", [userId]);
  const row = rows[0];
  const standing: Standing | null = row
    ? {
        sessionVersion: row.session_version,
        disabled: row.disabled_at !== null,
        roles: effectiveRoles(row.roles.filter(isRole)),
      }
    : null;
  recent.delete(userId);
  if (recent.size >= REMEMBERED) recent.delete(recent.keys().next().value as string);
  recent.set(userId, { standing, until: now + STANDING_REUSE_MS });
  return standing;
}

/** Ends every session of a person: their version goes up, and this process forgets the old one. */
export async function endSessions(pool: Queryable, userId: string): Promise<void> {
  await pool.query("update users set session_version = session_version + 1 where id = $1", [
    userId,
  ]);
  forgetStanding(userId);
}
