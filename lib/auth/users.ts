// People who signed in: each sign-in upserts the user (name, e-mail, groups, roles, last seen),
// links the provider account, and writes the audit record in the same transaction. A change of
// roles at sign-in ends the person's other sessions (their session version goes up); an
// administrator disables and enables people (`npm run user`), which ends every session too.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { writeAudit } from "../audit";
import type { Queryable } from "../db/pool";
import { transaction } from "../db/pool";
import { Conflict, NotFound } from "../errors";
import { userActor } from "./principal";
import type { Role } from "./roles";
import { forgetStanding } from "./standing";

export type SignInIdentity = {
  /** next-auth provider id: `oidc` or `demo`. */
  provider: string;
  /** The provider's stable id for the person (OIDC `sub`, the demo user name). */
  subject: string;
  /** The provider's username (OIDC `preferred_username`, else `sub`). */
  username: string;
  /** Display name, as the person set it. */
  name: string;
  /** Verified e-mail only (lib/auth/oidc.ts trustedClaims). */
  email: string | null;
  groups: string[];
  roles: Role[];
};

/** Raised when a disabled person signs in: nothing is recorded but the refusal. */
export class UserDisabled extends Error {
  constructor(readonly userId: string) {
    super(`user ${userId} is disabled`);
    this.name = "UserDisabled";
  }
}

/** The user a sign-in would land on (provider account, else verified e-mail), or null. */
async function existingUser(client: Queryable, identity: SignInIdentity) {
  const { rows } = await client.query<{ id: string; disabled_at: Date | null; linked: boolean }>(
    `select u.id, u.disabled_at, true as linked from accounts a join users u on u.id = a.user_id
      where a.provider = $1 and a.provider_account_id = $2
     union all
     select u.id, u.disabled_at, false from users u where $3::text is not null and u.email = $3
     order by linked desc limit 1`,
    [identity.provider, identity.subject, identity.email],
  );
  return rows[0] ?? null;
}

/** Whether an administrator disabled the person this sign-in is for. */
export async function signInDisabled(pool: pg.Pool, identity: SignInIdentity): Promise<boolean> {
  return (await existingUser(pool, identity))?.disabled_at != null;
}

/**
 * Finds the user by provider account, else by (verified) e-mail, else creates one; refreshes what the
 * provider said and records the sign-in. Returns the user's id (the session's `sub`) and the
 * session version the new session carries. A disabled user is refused (UserDisabled).
 */
export async function recordSignIn(
  pool: pg.Pool,
  identity: SignInIdentity,
): Promise<{ id: string; sessionVersion: number }> {
  const signedIn = await transaction(pool, async (client) => {
    // Two first sign-ins of the same account at once must make one user, not two.
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [
      `shiplog-sign-in:${identity.provider}:${identity.subject}`,
    ]);
    let userId = (
      await client.query<{ user_id: string }>(
        "select user_id from accounts where provider = $1 and provider_account_id = $2",
        [identity.provider, identity.subject],
      )
    ).rows[0]?.user_id;
    const linked = userId !== undefined;
    if (!userId && identity.email) {
      userId = (
        await client.query<{ id: string }>("select id from users where email = $1", [
          identity.email,
        ])
      ).rows[0]?.id;
    }
    if (userId) {
      const found = await client.query<{ disabled_at: Date | null }>(
        "select disabled_at from users where id = $1 for update",
        [userId],
      );
      if (found.rows[0]?.disabled_at) throw new UserDisabled(userId);
    }
    if (!userId) {
      userId = randomUUID();
      await client.query("insert into users (id, email) values ($1, $2)", [userId, identity.email]);
    }
    if (!linked) {
      await client.query(
        `insert into accounts (id, user_id, type, provider, provider_account_id)
         values ($1, $2, $3, $4, $5)`,
        [
          randomUUID(),
          userId,
          identity.provider === "demo" ? "credentials" : "oidc",
          identity.provider,
          identity.subject,
        ],
      );
    }
    // The e-mail moves only when no other user holds it (it is unique). email_verified marks an
    // address the provider vouched for at this sign-in; one kept from before (or none now) is not
    // trusted to name an approver.
    // New roles end the sessions sealed with the old ones (this one carries the new version).
    const updated = await client.query<{ session_version: number }>(
      `with claim as (
         select $5::text is not null and not exists (
           select 1 from users other where other.email = $5 and other.id <> $1) as ok),
       before as (select roles from users where id = $1)
       update users set name = $2, groups = $3, roles = $4, username = $6,
         last_seen_at = now() at time zone 'UTC',
         email = case when (select ok from claim) then $5 else email end,
         email_verified = case when (select ok from claim) then now() at time zone 'UTC' end,
         session_version = session_version +
           case when (select roles from before) is distinct from $4::text[] then 1 else 0 end
       where id = $1
       returning session_version`,
      [userId, identity.name, identity.groups, identity.roles, identity.email, identity.username],
    );
    const { session_version: sessionVersion } = updated.rows[0]!;
    await writeAudit(client, {
      actor: userActor({ email: identity.email, username: identity.username, id: userId }),
      action: "auth.sign_in",
      target: `user:${userId}`,
      outcome: "success",
      details: { provider: identity.provider, roles: identity.roles, groups: identity.groups },
    });
    return { id: userId, sessionVersion };
  });
  forgetStanding(signedIn.id);
  return signedIn;
}

/** A failed sign-in changes nothing, so its record stands alone. */
export async function recordFailedSignIn(
  pool: pg.Pool,
  attempt: { provider: string; name: string; reason: string },
): Promise<void> {
  await writeAudit(pool, {
    actor: attempt.name.slice(0, 100) || "(empty)",
    action: "auth.sign_in",
    target: null,
    outcome: "failure",
    details: { provider: attempt.provider, reason: attempt.reason },
  });
}

export type UserRow = {
  id: string;
  username: string | null;
  name: string | null;
  email: string | null;
  roles: string[];
  groups: string[];
  providers: string[];
  createdAt: Date;
  lastSeenAt: Date | null;
  disabledAt: Date | null;
};

export async function listUsers(pool: pg.Pool): Promise<UserRow[]> {
  const { rows } = await pool.query<{
    id: string;
    username: string | null;
    name: string | null;
    email: string | null;
    roles: string[] | null;
    groups: string[] | null;
    providers: string[] | null;
    created_at: Date;
    last_seen_at: Date | null;
    disabled_at: Date | null;
  }>(
    `select u.id, u.username, u.name, u.email, u.roles, u.groups, u.created_at, u.last_seen_at,
            u.disabled_at,
            array_remove(array_agg(distinct a.provider), null) as providers
     from users u left join accounts a on a.user_id = u.id
     group by u.id
     order by u.last_seen_at desc nulls last, u.name`,
  );
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    roles: row.roles ?? [],
    groups: row.groups ?? [],
    providers: row.providers ?? [],
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    disabledAt: row.disabled_at,
  }));
}

/**
 * The one user `who` names: their id, their e-mail, or their username. 404 for none, 409 when a
 * username belongs to several people (then give the e-mail or id).
 */
async function findUser(client: Queryable, who: string) {
  const { rows } = await client.query<{
    id: string;
    username: string | null;
    email: string | null;
    disabled_at: Date | null;
  }>(
    `select id, username, email, disabled_at from users
      where id = $1 or email = $1 or username = $1 order by id for update`,
    [who],
  );
  const exact = rows.filter((row) => row.id === who || row.email === who);
  if (exact.length === 1) return exact[0]!;
  if (rows.length === 0) throw new NotFound(`no user ${who} (give a username, e-mail or user id)`);
  if (rows.length > 1) {
    throw new Conflict(`${rows.length} users have the username ${who}; give an e-mail or user id`);
  }
  return rows[0]!;
}

/**
 * Disables a person (or enables them again): a disabled user cannot sign in, and every session
 * they hold ends at once (their session version goes up). Audited as user.disable / user.enable.
 */
export async function setUserDisabled(
  pool: pg.Pool,
  input: { who: string; disabled: boolean; actor: string },
): Promise<{ id: string; name: string; changed: boolean }> {
  const result = await transaction(pool, async (client) => {
    const user = await findUser(client, input.who);
    const name = user.email ?? user.username ?? user.id;
    if ((user.disabled_at !== null) === input.disabled) {
      return { id: user.id, name, changed: false };
    }
    await client.query(
      `update users set disabled_at = case when $2 then now() at time zone 'UTC' end,
         session_version = session_version + 1
       where id = $1`,
      [user.id, input.disabled],
    );
    await writeAudit(client, {
      actor: input.actor,
      action: input.disabled ? "user.disable" : "user.enable",
      target: `user:${user.id}`,
      outcome: "success",
      details: { username: user.username, email: user.email },
    });
    return { id: user.id, name, changed: true };
  });
  forgetStanding(result.id);
  return result;
}
