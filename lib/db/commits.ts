// The commit list (newest first, filtered, paged by an opaque cursor) and the apps overview,
// both from the status and stages the store keeps on each commit.
import "server-only";
import { config } from "@/lib/config";
import { BadInput } from "@/lib/errors";
import type { Status } from "@/lib/sources/types";
import { toCommitSummary } from "@/lib/timeline/commit-summary";
import type { CommitSummary } from "@/lib/timeline/types";
import type { Prisma, PrismaClient } from "./generated/client";
import { db } from "./client";
import { decodeCursor, encodeCursor, type CommitCursor } from "./cursor";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export interface CommitListQuery {
  app?: string | null;
  branch?: string | null;
  status?: Status | null;
  /** A SHA prefix (4+ hex characters) or a case-insensitive substring of the message. */
  q?: string | null;
  limit?: number | null;
  cursor?: string | null;
}

export interface CommitPage {
  items: CommitSummary[];
  nextCursor: string | null;
}

/** LIKE's own wildcards in user text match themselves. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filters(query: CommitListQuery, appId: number | null): Prisma.CommitWhereInput[] {
  const where: Prisma.CommitWhereInput[] = [];
  if (appId !== null) where.push({ appId });
  if (query.branch) where.push({ branch: query.branch });
  if (query.status) where.push({ status: query.status });
  const q = query.q?.trim();
  if (q) {
    const or: Prisma.CommitWhereInput[] = [
      { message: { contains: likeEscape(q), mode: "insensitive" } },
    ];
    if (/^[0-9a-f]{4,64}$/i.test(q)) or.push({ sha: { startsWith: q.toLowerCase() } });
    where.push({ OR: or });
  }
  return where;
}

const withApp = { app: { select: { name: true } } } as const;

/**
 * Commits newest first: committed_at desc (undated ones last), then id desc. Dated and undated
 * commits are read separately so each read follows an index in order; a page that crosses from
 * one to the other reads both.
 */
export async function listCommits(
  query: CommitListQuery = {},
  client: PrismaClient = db(),
): Promise<CommitPage> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new BadInput(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const cursor: CommitCursor | null = query.cursor ? decodeCursor(query.cursor) : null;
  let appId: number | null = null;
  if (query.app) {
    const app = await client.app.findUnique({ where: { name: query.app }, select: { id: true } });
    if (!app) return { items: [], nextCursor: null };
    appId = app.id;
  }
  const where = filters(query, appId);
  const take = limit + 1;
  const rows = [];
  if (!cursor || cursor.at) {
    const after: Prisma.CommitWhereInput[] = cursor?.at
      ? [
          { committedAt: { lte: cursor.at } },
          { OR: [{ committedAt: { lt: cursor.at } }, { id: { lt: cursor.id } }] },
        ]
      : [];
    rows.push(
      ...(await client.commit.findMany({
        where: { AND: [...where, { committedAt: { not: null } }, ...after] },
        orderBy: [{ committedAt: "desc" }, { id: "desc" }],
        take,
        include: withApp,
      })),
    );
  }
  if (rows.length < take) {
    const after: Prisma.CommitWhereInput[] =
      cursor && !cursor.at ? [{ id: { lt: cursor.id } }] : [];
    rows.push(
      ...(await client.commit.findMany({
        where: { AND: [...where, { committedAt: null }, ...after] },
        orderBy: { id: "desc" },
        take: take - rows.length,
        include: withApp,
      })),
    );
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((c) => toCommitSummary(c.app.name, c)),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: last.committedAt, id: last.id }) : null,
  };
}

export interface AppListing {
  name: string;
  repoUrl: string | null;
  environments: string[];
  latest: CommitSummary | null;
}

type LatestRow = {
  name: string;
  repoUrl: string | null;
  sha: string | null;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: Date | null;
  status: string | null;
  stages: unknown;
};

/** Environments in the order SHIPLOG_CONTEXTS names them (staging before production). */
export function configuredEnvironments(): string[] {
  return [...new Set(config().contexts.map((c) => c.environment))];
}

function orderEnvironments(found: string[], configured: string[]): string[] {
  const rank = (e: string) => (configured.includes(e) ? configured.indexOf(e) : configured.length);
  return [...new Set(found)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Every app by name with the environments it has deployed to and its newest commit. Two round
 * trips: apps with their newest commit (a lateral index read per app), and deploy environments.
 */
export async function listApps(
  client: PrismaClient = db(),
  configured: string[] = configuredEnvironments(),
): Promise<AppListing[]> {
  const [apps, environments] = await Promise.all([
    client.$queryRaw<LatestRow[]>`
      select a.name, a.repo_url as "repoUrl", c.sha, c.branch, c.author, c.message,
             c.committed_at as "committedAt", c.status, c.stages
        from apps a
        left join lateral (
          (select * from commits d where d.app_id = a.id and d.committed_at is not null
            order by d.committed_at desc, d.id desc limit 1)
          union all
          (select * from commits u where u.app_id = a.id and u.committed_at is null
            order by u.id desc limit 1)
          limit 1
        ) c on true
       order by a.name`,
    client.$queryRaw<{ name: string; environment: string }[]>`
      select distinct a.name, r.environment
        from resources r join commits c on c.id = r.commit_id join apps a on a.id = c.app_id
       where r.stage = 'deploy' and r.environment is not null`,
  ]);
  return apps.map((a) => ({
    name: a.name,
    repoUrl: a.repoUrl,
    environments: orderEnvironments(
      environments.filter((e) => e.name === a.name).map((e) => e.environment),
      configured,
    ),
    latest: a.sha
      ? toCommitSummary(a.name, { ...a, sha: a.sha, status: a.status ?? "unknown" })
      : null,
  }));
}
