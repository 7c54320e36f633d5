// People who signed in: each sign-in upserts the user (name, e-mail, groups, roles, last seen),
// links the provider account, and writes the audit record in the same transaction.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import { userActor } from "./principal";
import type { Role } from "./roles";

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

/**
 * Finds the user by provider account, else by (verified) e-mail, else creates one; refreshes what the
 * provider said and records the sign-in. Returns the user's id (the session's `sub`).
 */
export async function recordSignIn(pool: pg.Pool, identity: SignInIdentity): Promise<string> {
  return transaction(pool, async (client) => {
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
    await client.query(
      `with claim as (
         select $5::text is not null and not exists (
           select 1 from users other where other.email = $5 and other.id <> $1) as ok)
       update users set name = $2, groups = $3, roles = $4, username = $6,
         last_seen_at = now() at time zone 'UTC',
         email = case when (select ok from claim) then $5 else email end,
         email_verified = case when (select ok from claim) then now() at time zone 'UTC' end
       where id = $1`,
      [userId, identity.name, identity.groups, identity.roles, identity.email, identity.username],
    );
    await writeAudit(client, {
      actor: userActor({ email: identity.email, username: identity.username, id: userId }),
      action: "auth.sign_in",
      target: `user:${userId}`,
      outcome: "success",
      details: { provider: identity.provider, roles: identity.roles, groups: identity.groups },
    });
    return userId;
  });
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
  name: string | null;
  email: string | null;
  roles: string[];
  groups: string[];
  providers: string[];
  createdAt: Date;
  lastSeenAt: Date | null;
};

export async function listUsers(pool: pg.Pool): Promise<UserRow[]> {
  const { rows } = await pool.query<{
    id: string;
    name: string | null;
    email: string | null;
    roles: string[] | null;
    groups: string[] | null;
    providers: string[] | null;
    created_at: Date;
    last_seen_at: Date | null;
  }>(
    `select u.id, u.name, u.email, u.roles, u.groups, u.created_at, u.last_seen_at,
            array_remove(array_agg(distinct a.provider), null) as providers
     from users u left join accounts a on a.user_id = u.id
     group by u.id
     order by u.last_seen_at desc nulls last, u.name`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles ?? [],
    groups: row.groups ?? [],
    providers: row.providers ?? [],
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  }));
}
