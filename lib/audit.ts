// The audit log: who did what to which target, when, and how it ended. A change writes its
// record on the same connection and in the same transaction as the change, so there is never
// a change without its record nor a record of a change that rolled back.
import type { Queryable } from "./db/pool";

/** The actions recorded so far; later changes (gate decisions, re-runs) add theirs. */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "token.create",
  "token.revoke",
  "user.disable",
  "user.enable",
  "access.denied",
  "gate.decide",
  "gate.expire",
  "gate.cancel",
  "gate.settle",
  "gate.write",
  "action.rerun",
  "action.rebuild",
  "action.sync",
  "action.hard-refresh",
] as const;

export type AuditOutcome = "success" | "failure" | "denied";

export type AuditEntry = {
  actor: string;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
};

export type AuditRecord = {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
};

/** Writes one record with `client`: pass the transaction's client to keep change and record together. */
export async function writeAudit(client: Queryable, entry: AuditEntry): Promise<void> {
  await client.query(
    `insert into audit_log (actor, action, target, outcome, details)
     values ($1, $2, $3, $4, $5::jsonb)`,
    [
      entry.actor,
      entry.action,
      entry.target ?? null,
      entry.outcome,
      entry.details === undefined ? null : JSON.stringify(entry.details),
    ],
  );
}

export type AuditFilter = {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Keyset paging: records older than this id. */
  before?: bigint;
  limit: number;
};

/** Newest first, filtered; `nextBefore` pages on while there is more. */
export async function listAudit(
  client: Queryable,
  filter: AuditFilter,
): Promise<{ items: AuditRecord[]; nextBefore: string | null }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace("?", `$${values.length}`));
  };
  if (filter.actor) add("actor = ?", filter.actor);
  if (filter.action) add("action = ?", filter.action);
  // Columns hold UTC wall time (Prisma's convention); compare against UTC instants.
  if (filter.from) add("at >= (?::timestamptz at time zone 'UTC')", filter.from.toISOString());
  if (filter.to) add("at < (?::timestamptz at time zone 'UTC')", filter.to.toISOString());
  if (filter.before !== undefined) add("id < ?", filter.before.toString());
  values.push(filter.limit + 1);
  const { rows } = await client.query<{
    id: bigint | string;
    at: Date;
    actor: string;
    action: string;
    target: string | null;
    outcome: string;
    details: Record<string, unknown> | null;
  }>(
    `select id, at, actor, action, target, outcome, details from audit_log
     ${where.length ? `where ${where.join(" and ")}` : ""}
     order by id desc limit $${values.length}`,
    values,
  );
  const items = rows.slice(0, filter.limit).map((row) => ({ ...row, id: String(row.id) }));
  return {
    items,
    nextBefore: rows.length > filter.limit ? items[items.length - 1].id : null,
  };
}

export const AUDIT_PAGE_SIZE = 50;

type SearchValue = string | string[] | undefined;

const one = (value: SearchValue) => (typeof value === "string" ? value.trim() : "");
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string, name: string, problems: string[]): Date | undefined {
  if (!value) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(date.getTime())) {
    problems.push(`${name} must be a date (YYYY-MM-DD)`);
    return undefined;
  }
  return date;
}

/**
 * The audit page's query string as a filter: actor and action match exactly, `from` and `to`
 * are UTC days (both inclusive), `before` pages on. Bad values are dropped and reported.
 */
export function parseAuditSearch(params: Record<string, SearchValue>): {
  values: { actor: string; action: string; from: string; to: string };
  filter: AuditFilter;
  problems: string[];
} {
  const problems: string[] = [];
  const values = {
    actor: one(params.actor).slice(0, 200),
    action: one(params.action).slice(0, 100),
    from: one(params.from),
    to: one(params.to),
  };
  const from = day(values.from, "from", problems);
  const to = day(values.to, "to", problems);
  const before = one(params.before);
  if (before && !/^\d{1,19}$/.test(before)) problems.push("before must be a record id");
  return {
    values,
    filter: {
      actor: values.actor || undefined,
      action: values.action || undefined,
      from,
      to: to ? new Date(to.getTime() + 86_400_000) : undefined,
      before: before && /^\d{1,19}$/.test(before) ? BigInt(before) : undefined,
      limit: AUDIT_PAGE_SIZE,
    },
    problems,
  };
}
