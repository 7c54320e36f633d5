// Gates and decisions in Postgres (plain SQL on node-postgres): open, read, lock, finish, mark as
// written to the cluster, and the events that tell browsers and the leader's controller.
import { lockEvents } from "../db/events";
import type { Queryable } from "../db/pool";
import type { CommitAuthor, GateStatus, RecordedDecision } from "./policy";
import type { GateSpec } from "./spec";

export type Gate = {
  id: string;
  app: string | null;
  sha: string | null;
  environment: string | null;
  status: GateStatus;
  message: string | null;
  minApprovals: number;
  approvers: string[];
  decisions: { user: string; decision: "approve" | "reject"; comment: string | null; at: string }[];
  createdAt: string;
  expiresAt: string | null;
  decidedAt: string | null;
  kind: string;
  cluster: string;
  authorMayDecide: boolean;
  resource: { system: "tekton"; kind: string; namespace: string; name: string; uid: string };
};

export type GateRecord = {
  id: string;
  kind: string;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  environment: string | null;
  status: GateStatus;
  message: string | null;
  min_approvals: number;
  approvers: string[];
  author_may_decide: boolean;
  created_at: Date;
  expires_at: Date | null;
  decided_at: Date | null;
  applied_at: Date | null;
  commit_id: bigint | null;
  app: string | null;
  sha: string | null;
  author: string | null;
  author_email: string | null;
  author_username: string | null;
  pushed_by: string | null;
};

/** An instant for a `timestamp` column holding UTC (Prisma's convention). */
export const utcParam = (n: number) => `($${n}::timestamptz at time zone 'UTC')`;

/**
 * A gate with its commit: the gate's own link, else the one ingest made for its object (the
 * CustomRun's or PipelineRun's resource row, tied to the commit through the PipelineRun).
 */
const SELECT = `
  select g.id, g.kind, g.cluster, g.namespace, g.name, g.uid, g.environment, g.status, g.message,
         g.min_approvals, g.approvers, g.author_may_decide, g.created_at, g.expires_at, g.decided_at,
         g.applied_at, c.id as commit_id, a.name as app, c.sha, c.author, c.author_email,
         c.author_username, c.pushed_by
    from gates g
    left join lateral (
      select r.commit_id from resources r
       where r.cluster = g.cluster and r.uid = g.uid and r.commit_id is not null limit 1
    ) r on true
    left join commits c on c.id = coalesce(g.commit_id, r.commit_id)
    left join apps a on a.id = c.app_id`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Of these gates, the ones the person with this decision key has decided. */
export async function decidedBy(
  db: Queryable,
  gateIds: string[],
  key: string,
): Promise<Set<string>> {
  if (gateIds.length === 0) return new Set();
  const { rows } = await db.query<{ gate_id: string }>(
    "select gate_id from decisions where gate_id = any($1::text[]) and decider = $2",
    [gateIds, key],
  );
  return new Set(rows.map((row) => row.gate_id));
}

/** A gate's commit author as the separation-of-duties rule sees it; null when nothing is known. */
export function authorOf(row: {
  author: string | null;
  author_email: string | null;
  author_username: string | null;
  pushed_by: string | null;
}): CommitAuthor | null {
  if (!row.author && !row.author_email && !row.author_username && !row.pushed_by) return null;
  return {
    name: row.author,
    email: row.author_email,
    username: row.author_username,
    pushedBy: row.pushed_by,
  };
}

export async function decisionsOf(
  db: Queryable,
  gateIds: string[],
): Promise<Map<string, RecordedDecision[]>> {
  const out = new Map<string, RecordedDecision[]>(gateIds.map((id) => [id, []]));
  if (gateIds.length === 0) return out;
  const { rows } = await db.query<RecordedDecision & { gate_id: string }>(
    `select gate_id, decider as key, "user", decision, comment, at from decisions
      where gate_id = any($1::text[]) order by at, id`,
    [gateIds],
  );
  for (const row of rows)
    out.get(row.gate_id)?.push({
      key: row.key,
      user: row.user,
      decision: row.decision,
      comment: row.comment,
      at: row.at,
    });
  return out;
}

export function toGate(row: GateRecord, decisions: RecordedDecision[]): Gate {
  return {
    id: row.id,
    app: row.app,
    sha: row.sha,
    environment: row.environment,
    status: row.status,
    message: row.message,
    minApprovals: row.min_approvals,
    approvers: row.approvers,
    decisions: decisions.map((d) => ({
      user: d.user,
      decision: d.decision,
      comment: d.comment,
      at: d.at.toISOString(),
    })),
    createdAt: row.created_at.toISOString(),
    expiresAt: iso(row.expires_at),
    decidedAt: iso(row.decided_at),
    kind: row.kind,
    cluster: row.cluster,
    authorMayDecide: row.author_may_decide,
    resource: {
      system: "tekton",
      kind: row.kind === "Approval" ? "CustomRun" : row.kind,
      namespace: row.namespace,
      name: row.name,
      uid: row.uid,
    },
  };
}

export async function gateRow(
  db: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<GateRecord | null> {
  const { rows } = await db.query<GateRecord>(
    `${SELECT} where g.id = $1 ${options.lock ? "for update of g" : ""}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function gateByObject(
  db: Queryable,
  cluster: string,
  uid: string,
): Promise<GateRecord | null> {
  const { rows } = await db.query<GateRecord>(`${SELECT} where g.cluster = $1 and g.uid = $2`, [
    cluster,
    uid,
  ]);
  return rows[0] ?? null;
}

export async function getGate(db: Queryable, id: string): Promise<Gate | null> {
  const row = await gateRow(db, id);
  if (!row) return null;
  return toGate(row, (await decisionsOf(db, [id])).get(id) ?? []);
}

/**
 * The gates of one commit, oldest first: tied to it directly, or through the object ingest linked
 * to it (the CustomRun, ApprovalTask or PipelineRun). Indexed lookups, then the decisions at once.
 */
export async function gatesOfCommit(db: Queryable, app: string, sha: string): Promise<Gate[]> {
  const { rows } = await db.query<GateRecord>(
    `with target as (
       select c.id from commits c join apps a on a.id = c.app_id where a.name = $1 and c.sha = $2)
     ${SELECT}
      where g.id = any(array(
              select x.id from gates x where x.commit_id = (select id from target)
              union
              select x.id from resources r join gates x on x.cluster = r.cluster and x.uid = r.uid
               where r.commit_id = (select id from target)))
      order by g.created_at, g.id`,
    [app, sha],
  );
  const decisions = await decisionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toGate(row, decisions.get(row.id) ?? []));
}

export const DECIDED: GateStatus[] = ["approved", "rejected", "expired", "cancelled"];

/** Pending gates oldest first; decided ones newest first. */
export async function listGates(
  db: Queryable,
  filter: { status?: "pending" | "decided"; limit: number },
): Promise<Gate[]> {
  const statuses =
    filter.status === "pending"
      ? ["pending"]
      : filter.status === "decided"
        ? DECIDED
        : ["pending", ...DECIDED];
  const order = filter.status === "pending" ? "g.created_at, g.id" : "g.created_at desc, g.id";
  const { rows } = await db.query<GateRecord>(
    `${SELECT} where g.status = any($1::text[]) order by ${order} limit $2`,
    [statuses, filter.limit],
  );
  const decisions = await decisionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toGate(row, decisions.get(row.id) ?? []));
}

/** Opens the gate for an object once; a second call returns the existing row. */
export async function openGate(
  db: Queryable,
  spec: GateSpec,
): Promise<{ row: GateRecord; created: boolean }> {
  const inserted = await db.query<{ id: string }>(
    `insert into gates (id, kind, cluster, namespace, name, uid, environment, message, min_approvals,
                        approvers, author_may_decide, created_at, expires_at)
     values (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ${utcParam(11)}, ${utcParam(12)})
     on conflict (cluster, uid) do nothing returning id`,
    [
      spec.kind,
      spec.cluster,
      spec.namespace,
      spec.name,
      spec.uid,
      spec.environment,
      spec.message,
      spec.minApprovals,
      spec.approvers,
      spec.authorMayDecide,
      spec.createdAt.toISOString(),
      spec.expiresAt?.toISOString() ?? null,
    ],
  );
  const row = await gateByObject(db, spec.cluster, spec.uid);
  if (!row) throw new Error(`gate for ${spec.cluster}/${spec.uid} vanished`);
  return { row, created: inserted.rows.length > 0 };
}

/** Sets the final status once: only a pending gate changes. */
export async function finishGate(
  db: Queryable,
  id: string,
  status: Exclude<GateStatus, "pending">,
  now: Date,
  options: { applied?: boolean } = {},
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update gates set status = $2, decided_at = ${utcParam(3)},
            applied_at = case when $4 then ${utcParam(3)} else applied_at end
      where id = $1 and status = 'pending'`,
    [id, status, now.toISOString(), options.applied ?? false],
  );
  return (rowCount ?? 0) > 0;
}

export async function markApplied(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(
    `update gates set applied_at = ${utcParam(2)} where id = $1 and applied_at is null and status <> 'pending'`,
    [id, now.toISOString()],
  );
}

/** Decided gates whose outcome has not reached the cluster yet. */
export async function gatesToApply(db: Queryable, clusters: string[]): Promise<GateRecord[]> {
  const { rows } = await db.query<GateRecord>(
    `${SELECT} where g.status <> 'pending' and g.applied_at is null and g.cluster = any($1::text[])
      order by g.decided_at limit 100`,
    [clusters],
  );
  return rows;
}

export async function expiredGates(
  db: Queryable,
  clusters: string[],
  now: Date,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from gates where status = 'pending' and expires_at <= ${utcParam(2)}
        and cluster = any($1::text[]) limit 100`,
    [clusters, now.toISOString()],
  );
  return rows.map((r) => r.id);
}

export const GATES_CHANNEL = "shiplog_gates";

/**
 * The `gate` event (and the commit's `timeline` event) for browsers, and a wake-up for the leader's
 * controller; call inside the transaction that changed the gate, so they go out only if it commits.
 */
export async function announceGate(db: Queryable, row: GateRecord, status: GateStatus) {
  await lockEvents(db);
  const inserted = await db.query<{ id: bigint }>(
    `insert into events (type, payload) values ('gate', jsonb_build_object('id', $1::text, 'status', $2::text))
     returning id`,
    [row.id, status],
  );
  let last = inserted.rows[0].id;
  if (row.app && row.sha) {
    // The commit's timeline changed: a new generation (its stored timeline is out of date), and
    // the event that tells the browsers.
    const timeline = await db.query<{ id: bigint }>(
      `with changed as (
         update commits set timeline_gen = timeline_gen + 1
          where sha = $2 and app_id = (select id from apps where name = $1))
       insert into events (type, payload) values ('timeline', jsonb_build_object('app', $1::text, 'sha', $2::text))
       returning id`,
      [row.app, row.sha],
    );
    last = timeline.rows[0].id;
  }
  await db.query("select pg_notify('shiplog_events', $1)", [String(last)]);
  await db.query(`select pg_notify('${GATES_CHANNEL}', $1)`, [row.id]);
}

/** An ApprovalTask decision as the controller writes it to the cluster. */
export type TaskDecision = {
  id: bigint;
  decision: "approve" | "reject";
  comment: string | null;
  /** The decider's own username: the write is made as them. */
  as_user: string | null;
  /** The user entry that named them (it may be their e-mail), when no group entry did. */
  as_entry: string | null;
  /** The group entry that named them. */
  as_group: string | null;
};

/** ApprovalTask gates with decisions not yet written to their cluster. */
export async function approvalTasksWithUnwrittenDecisions(
  db: Queryable,
  clusters: string[],
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select distinct g.id from gates g join decisions d on d.gate_id = g.id
      where g.kind = 'ApprovalTask' and d.applied_at is null and g.cluster = any($1::text[])`,
    [clusters],
  );
  return rows.map((r) => r.id);
}

/** A gate's decisions not yet written to its ApprovalTask, oldest first. */
export async function unwrittenDecisions(db: Queryable, gateId: string): Promise<TaskDecision[]> {
  const { rows } = await db.query<TaskDecision>(
    `select id, decision, comment, as_user, as_entry, as_group from decisions
      where gate_id = $1 and applied_at is null order by at, id`,
    [gateId],
  );
  return rows;
}

export async function markDecisionApplied(db: Queryable, id: bigint, now: Date): Promise<void> {
  await db.query(`update decisions set applied_at = ${utcParam(2)} where id = $1`, [
    id,
    now.toISOString(),
  ]);
}

/** A person's decision, unless they already decided this gate (then null). */
export async function insertDecision(
  db: Queryable,
  d: {
    gateId: string;
    decider: string;
    user: string;
    decision: "approve" | "reject";
    comment: string | null;
    at: Date;
    asUser: string | null;
    asEntry: string | null;
    asGroup: string | null;
  },
): Promise<RecordedDecision | null> {
  const { rows } = await db.query<RecordedDecision>(
    `insert into decisions (gate_id, decider, "user", decision, comment, at,
                            as_user, as_entry, as_group)
     values ($1, $2, $3, $4, $5, ${utcParam(6)}, $7, $8, $9)
     on conflict (gate_id, decider) do nothing
     returning decider as key, "user", decision, comment, at`,
    [
      d.gateId,
      d.decider,
      d.user,
      d.decision,
      d.comment,
      d.at.toISOString(),
      d.asUser,
      d.asEntry,
      d.asGroup,
    ],
  );
  return rows[0] ?? null;
}

/** The authors of these commits (app and SHA), in one query. */
export async function commitAuthors(
  db: Queryable,
  commits: { app: string; sha: string }[],
): Promise<{ app: string; sha: string; author: CommitAuthor | null }[]> {
  if (commits.length === 0) return [];
  const { rows } = await db.query<{
    app: string;
    sha: string;
    author: string | null;
    author_email: string | null;
    author_username: string | null;
    pushed_by: string | null;
  }>(
    `select a.name as app, c.sha, c.author, c.author_email, c.author_username, c.pushed_by
       from commits c join apps a on a.id = c.app_id
       join unnest($1::text[], $2::text[]) as w(app, sha) on w.app = a.name and w.sha = c.sha`,
    [commits.map((c) => c.app), commits.map((c) => c.sha)],
  );
  return rows.map((row) => ({ app: row.app, sha: row.sha, author: authorOf(row) }));
}

/** What the gate policy reads of a person: their username, verified e-mail, name and groups. */
export async function deciderRecord(
  db: Queryable,
  userId: string,
): Promise<{
  username: string | null;
  name: string | null;
  email: string | null;
  groups: string[];
} | null> {
  const { rows } = await db.query<{
    username: string | null;
    name: string | null;
    email: string | null;
    groups: string[];
  }>(
    `select username, name, groups, case when email_verified is not null then email end as email
       from users where id = $1`,
    [userId],
  );
  return rows[0] ?? null;
}

/** Who made an API token: the CLI name, and the signed-in person with their identifiers if any. */
export async function tokenMaker(
  db: Queryable,
  tokenId: string,
): Promise<{
  created_by: string;
  created_by_user: string | null;
  username: string | null;
  name: string | null;
  email: string | null;
} | null> {
  const { rows } = await db.query<{
    created_by: string;
    created_by_user: string | null;
    username: string | null;
    name: string | null;
    email: string | null;
  }>(
    `select t.created_by, t.created_by_user, u.username, u.name,
            case when u.email_verified is not null then u.email end as email
       from api_tokens t left join users u on u.id = t.created_by_user
      where t.id = $1`,
    [tokenId],
  );
  return rows[0] ?? null;
}
