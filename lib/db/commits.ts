// The commit list (newest first, filtered, paged by an opaque cursor) and the apps overview,
// both from the status and stages the store keeps on each commit. Plain SQL: reads are the hot path.
import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { config } from "@/lib/config";
import { BadInput } from "@/lib/errors";
import { STATUSES, type Status } from "@/lib/sources/types";
import type { CommitSummary } from "@/lib/timeline/types";
import type { PrismaClient } from "./generated/client";
import { decodeCursor, encodeCursor, type CommitCursor } from "./cursor";
import { pool, utc } from "./pool";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/**
 * Where reads run: the shared node-postgres pool in the app. A Prisma client runs the very same
 * SQL (tests and scripts hold one); the pool is the fast path, because Prisma compiles every call
 * afresh and its driver adapter decodes rows a second time (bench/RESULTS.md).
 */
export type ReadDb = pg.Pool | PrismaClient;

const statementNames = new Map<string, string>();

/**
 * The prepared statement's name for a SQL text: a hash of the text itself, so that every copy of
 * this module (Next bundles pages and route handlers apart, each with its own module state) names
 * the same SQL alike and different SQL apart on the connections they share.
 */
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `shiplog_read_${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Rows of one statement. On the pool each distinct SQL text is a named prepared statement, so
 * Postgres parses and plans it once per connection rather than on every request.
 */
export async function select<T>(client: ReadDb, text: string, values: unknown[]): Promise<T[]> {
  if ("$queryRawUnsafe" in client) return client.$queryRawUnsafe<T[]>(text, ...values);
  const result = await client.query({ name: statementName(text), text, values });
  return result.rows as T[];
}

export interface CommitListQuery {
  app?: string | null;
  branch?: string | null;
  status?: Status | null;
  /** A SHA prefix (4+ hex characters) or a case-insensitive substring of the message. */
  q?: string | null;
  /** The author's name or email, exactly but for case. */
  author?: string | null;
  /** Only commits with a deploy stage in this environment. */
  environment?: string | null;
  limit?: number | null;
  cursor?: string | null;
}

export interface CommitPage {
  items: CommitSummary[];
  nextCursor: string | null;
}

/** LIKE's own wildcards in user text match themselves (backslash is Postgres's default escape). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type SummaryRow = { id: string; committedAt: string | null; item: string };

// Each commit's item is stored as the list sends it (CommitSummary JSON, kept by a trigger on
// commits): a page joins the texts, without decoding each field and encoding it again. The sort
// key comes as text too: only the page's last row is decoded, for the next cursor.
const SUMMARY = `select c.id::text as id, c.committed_at::text as "committedAt", c.list_item as item
  from commits c`;

/** Bound parameters of one statement, numbered in the order the SQL asks for them. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }
}

function filters(query: CommitListQuery, p: Params): string[] {
  const where: string[] = [];
  // The app's id as a scalar subquery: the commits indexes then return rows already in list order.
  if (query.app) where.push(`c.app_id = (select id from apps where name = ${p.add(query.app)})`);
  if (query.branch) where.push(`c.branch = ${p.add(query.branch)}`);
  // The status as a literal (one of a few known words): Postgres plans each status's list once
  // per connection knowing its share of commits. As a parameter it re-planned every read, and a
  // plan made for any status could walk the newest commits of all to find a rare one (measured on
  // the benchmark's 100,000 commits: 12 ms for the 40 running ones, against 0.1 ms).
  if (query.status) {
    if (!STATUSES.includes(query.status)) throw new BadInput(`unknown status ${query.status}`);
    where.push(`c.status = '${query.status}'`);
  }
  const author = query.author?.trim();
  if (author) {
    const name = p.add(author);
    where.push(`(lower(c.author) = lower(${name}) or lower(c.author_email) = lower(${name}))`);
  }
  const environment = query.environment?.trim();
  if (environment) where.push(`c.stages ? ('deploy:' || ${p.add(environment)}::text)`);
  const q = query.q?.trim();
  if (q) {
    const message = `c.message ilike ${p.add(`%${likeEscape(q)}%`)}`;
    where.push(
      /^[0-9a-f]{4,64}$/i.test(q)
        ? `(${message} or c.sha like ${p.add(`${q.toLowerCase()}%`)})`
        : message,
    );
  }
  return where;
}

const LIMIT_STEPS = [11, 26, 51, 101, MAX_LIMIT + 1];
const limitStep = (n: number) => LIMIT_STEPS.find((step) => step >= n) ?? n;

/** One page's commits as JSON texts, and the cursor of the next page. */
async function readPage(
  query: CommitListQuery,
  client: ReadDb,
): Promise<{ items: string[]; nextCursor: string | null }> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new BadInput(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const cursor: CommitCursor | null = query.cursor ? decodeCursor(query.cursor) : null;
  const take = limit + 1;
  const read = async (part: (p: Params) => string[], order: string, n: number) => {
    const p = new Params();
    const where = [...filters(query, p), ...part(p)];
    // The limit as a literal, rounded up to a few steps: a known limit lets Postgres plan a
    // statement once per connection, and the steps keep the statements few.
    const sql = `${SUMMARY} where ${where.join(" and ")} order by ${order} limit ${limitStep(n)}`;
    return (await select<SummaryRow>(client, sql, p.values)).slice(0, n);
  };
  const rows: SummaryRow[] = [];
  if (!cursor || cursor.at) {
    const at = cursor?.at?.toISOString();
    // After the cursor, as one row comparison, which the (…, committed_at desc, id desc) indexes
    // start from. Its values are scalar subqueries, unknown to the planner whether the statement
    // is planned for these values or for any: so Postgres settles on one plan per connection
    // instead of planning every page afresh.
    const dated = (p: Params) =>
      at && cursor
        ? [
            `(c.committed_at, c.id) < ((select ${p.add(at)}::timestamp), (select ${p.add(cursor.id)}::bigint))`,
          ]
        : ["c.committed_at is not null"];
    rows.push(...(await read(dated, "c.committed_at desc, c.id desc", take)));
  }
  if (rows.length < take) {
    const undated = (p: Params) => [
      "c.committed_at is null",
      ...(cursor && !cursor.at ? [`c.id < (select ${p.add(cursor.id)}::bigint)`] : []),
    ];
    rows.push(...(await read(undated, "c.id desc", take - rows.length)));
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.item),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({
            at: last.committedAt === null ? null : utc(last.committedAt),
            id: BigInt(last.id),
          })
        : null,
  };
}

/**
 * Commits newest first: committed_at desc (undated ones last), then id desc. Dated and undated
 * commits are read separately so each read follows an index in order; a page that crosses from
 * one to the other reads both.
 */
export async function listCommits(
  query: CommitListQuery = {},
  client: ReadDb = pool(),
): Promise<CommitPage> {
  const page = await readPage(query, client);
  return {
    items: page.items.map((item) => JSON.parse(item) as CommitSummary),
    nextCursor: page.nextCursor,
  };
}

/** The same page as the API sends it: CommitPage's JSON text. */
export async function listCommitsBody(
  query: CommitListQuery = {},
  client: ReadDb = pool(),
): Promise<string> {
  const page = await readPage(query, client);
  return `{"items":[${page.items.join(",")}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}

export interface AppListing {
  name: string;
  repoUrl: string | null;
  environments: string[];
  latest: CommitSummary | null;
}

type LatestRow = { name: string; repoUrl: string | null; latest: string | null };

/** Environments in the order SHIPLOG_CONTEXTS names them (staging before production). */
export function configuredEnvironments(): string[] {
  return [...new Set(config().contexts.map((c) => c.environment))];
}

function orderEnvironments(found: string[], configured: string[]): string[] {
  const rank = (e: string) => (configured.includes(e) ? configured.indexOf(e) : configured.length);
  return [...new Set(found)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const APPS_WITH_LATEST = `
  select a.name, a.repo_url as "repoUrl", c.list_item as latest
    from apps a
    left join lateral (
      (select * from commits d where d.app_id = a.id and d.committed_at is not null
        order by d.committed_at desc, d.id desc limit 1)
      union all
      (select * from commits u where u.app_id = a.id and u.committed_at is null
        order by u.id desc limit 1)
      limit 1
    ) c on true
   order by a.name`;

const DEPLOY_ENVIRONMENTS = `
  select distinct a.name, r.environment
    from resources r join commits c on c.id = r.commit_id join apps a on a.id = c.app_id
   where r.stage = 'deploy' and r.environment is not null`;

/**
 * Every app by name with the environments it has deployed to and its newest commit. Two round
 * trips: apps with their newest commit (a lateral index read per app), and deploy environments.
 */
export async function listApps(
  client: ReadDb = pool(),
  configured: string[] = configuredEnvironments(),
): Promise<AppListing[]> {
  const [apps, environments] = await Promise.all([
    select<LatestRow>(client, APPS_WITH_LATEST, []),
    select<{ name: string; environment: string }>(client, DEPLOY_ENVIRONMENTS, []),
  ]);
  return apps.map((a) => ({
    name: a.name,
    repoUrl: a.repoUrl,
    environments: orderEnvironments(
      environments.filter((e) => e.name === a.name).map((e) => e.environment),
      configured,
    ),
    latest: a.latest === null ? null : (JSON.parse(a.latest) as CommitSummary),
  }));
}
