// API tokens in the database: create (the token is returned once, only its hash is kept), list,
// revoke, and the lookup behind `Authorization: Bearer`. Plain SQL on a node-postgres pool, so
// that `npm run token` can use it outside the Next.js server.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { writeAudit } from "../audit";
import { Conflict, NotFound, Unauthorized } from "../errors";
import { transaction } from "../db/pool";
import { tokenActor, type TokenPrincipal } from "./principal";
import { effectiveRoles, type Role } from "./roles";
import { displayPrefix, generateToken, hashToken } from "./token-format";

/** A token's last use is written at most this often: a busy CI job must not write on every call. */
export const LAST_USED_EVERY_MS = 60_000;

export type TokenInfo = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

type Row = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const COLUMNS =
  "id, name, role, prefix, created_by, created_at, expires_at, last_used_at, revoked_at";

const info = (row: Row): TokenInfo => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: row.prefix,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export type TokenState = "active" | "expired" | "revoked";

export function tokenState(token: TokenInfo, now: Date): TokenState {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** Creates a token and its audit record in one transaction; the token string is only here. */
export async function createToken(
  pool: pg.Pool,
  input: {
    name: string;
    role: Role;
    lifetimeMs?: number;
    actor: string;
    /** The users.id of the signed-in person making it (none from the command line). */
    madeBy?: string | null;
    now?: Date;
  },
): Promise<TokenInfo & { token: string }> {
  const token = generateToken();
  const now = input.now ?? new Date();
  const expiresAt = input.lifetimeMs ? new Date(now.getTime() + input.lifetimeMs) : null;
  return transaction(pool, async (client) => {
    const { rows } = await client.query<Row>(
      `insert into api_tokens (id, name, role, hash, prefix, created_by, created_at, expires_at,
                               created_by_user)
       values ($1, $2, $3, $4, $5, $6, $7::timestamptz at time zone 'UTC',
               $8::timestamptz at time zone 'UTC', $9)
       returning ${COLUMNS}`,
      [
        randomUUID(),
        input.name,
        input.role,
        hashToken(token),
        displayPrefix(token),
        input.actor,
        now.toISOString(),
        expiresAt?.toISOString() ?? null,
        input.madeBy ?? null,
      ],
    );
    const created = info(rows[0]);
    await writeAudit(client, {
      actor: input.actor,
      action: "token.create",
      target: `token:${created.id}`,
      outcome: "success",
      details: { name: created.name, role: created.role, expiresAt: expiresAt?.toISOString() },
    });
    return { ...created, token };
  });
}

export async function listTokens(pool: pg.Pool): Promise<TokenInfo[]> {
  const { rows } = await pool.query<Row>(
    `select ${COLUMNS} from api_tokens order by created_at desc, id`,
  );
  return rows.map(info);
}

/** Revokes a token with its audit record; 404 when unknown, 409 when already revoked. */
export async function revokeToken(
  pool: pg.Pool,
  input: { id: string; actor: string },
): Promise<TokenInfo> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<Row>(
      `select ${COLUMNS} from api_tokens where id = $1 for update`,
      [input.id],
    );
    if (rows.length === 0) throw new NotFound(`no token ${input.id}`);
    if (rows[0].revoked_at) throw new Conflict(`token ${input.id} is already revoked`);
    const updated = await client.query<Row>(
      `update api_tokens set revoked_at = now() at time zone 'UTC' where id = $1
       returning ${COLUMNS}`,
      [rows[0].id],
    );
    const revoked = info(updated.rows[0]);
    forget(revoked.id);
    await writeAudit(client, {
      actor: input.actor,
      action: "token.revoke",
      target: `token:${revoked.id}`,
      outcome: "success",
      details: { name: revoked.name, role: revoked.role },
    });
    return revoked;
  });
}

/**
 * How long a token found in the database is trusted without asking again. A busy API client
 * would otherwise cost a lookup per request. Revoking a token forgets it at once in the process
 * that revoked it; other replicas (and `npm run token -- revoke`) reach theirs within this time.
 * Expiry is checked on every use.
 */
export const TOKEN_REUSE_MS = 5_000;
const REUSED_TOKENS = 1_000;

// One map per process, shared by every copy of this module (Next bundles routes apart).
const globalForTokens = globalThis as unknown as {
  shiplogTokens?: Map<string, { found: TokenInfo; until: number }>;
};
const recent = (globalForTokens.shiplogTokens ??= new Map());

/** Forgets a token's reuse in this process (after a revocation). */
function forget(id: string) {
  for (const [hash, entry] of recent) if (entry.found.id === id) recent.delete(hash);
}

async function lookUp(pool: pg.Pool, hash: string, now: Date): Promise<TokenInfo | null> {
  const reused = recent.get(hash);
  if (reused && reused.until > now.getTime()) return reused.found;
  recent.delete(hash);
  const { rows } = await pool.query<Row>(`select ${COLUMNS} from api_tokens where hash = $1`, [
    hash,
  ]);
  if (rows.length === 0) return null;
  const found = info(rows[0]);
  if (recent.size >= REUSED_TOKENS) recent.delete(recent.keys().next().value as string);
  recent.set(hash, { found, until: now.getTime() + TOKEN_REUSE_MS });
  return found;
}

/**
 * The principal a bearer token stands for. Unknown, revoked and expired tokens are 401s; the
 * last-used time is written when the stored one is older than LAST_USED_EVERY_MS.
 */
export async function authenticateToken(
  pool: pg.Pool,
  token: string,
  now: Date = new Date(),
): Promise<TokenPrincipal> {
  const found = await lookUp(pool, hashToken(token), now);
  if (!found) throw new Unauthorized("unknown API token");
  const state = tokenState(found, now);
  if (state !== "active") throw new Unauthorized(`API token ${found.prefix}… is ${state}`);
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    found.lastUsedAt = now;
    // The condition repeats in SQL so that concurrent requests (and replicas) write once.
    await pool.query(
      `update api_tokens set last_used_at = $2::timestamptz at time zone 'UTC'
       where id = $1 and (last_used_at is null
         or last_used_at <= ($2::timestamptz at time zone 'UTC') - make_interval(secs => $3))`,
      [found.id, now.toISOString(), LAST_USED_EVERY_MS / 1000],
    );
  }
  return {
    kind: "token",
    id: found.id,
    name: found.name,
    roles: effectiveRoles([found.role]),
    actor: tokenActor(found.name),
  };
}

/** A token as the API and the admin page show it: never its hash. */
export function tokenView(token: TokenInfo, now: Date = new Date()) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    state: tokenState(token, now),
  };
}

export type TokenView = ReturnType<typeof tokenView>;
