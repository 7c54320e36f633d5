// Apps and commits, written as one set per batch: from Git pushes, or from the revision a build
// or pipeline names before its push arrived. Metadata only ever fills in.
import type { Queryable } from "../db/pool";
import type { Observation } from "../sources/types";
import { appNameOf } from "../timeline/correlate";

export type CommitRef = { id: bigint; sha: string; created: boolean; fromGit: boolean };

type Entry = {
  app: string;
  repo_url: string | null;
  sha: string;
  branch: string | null;
  author: string | null;
  author_email: string | null;
  author_username: string | null;
  pushed_by: string | null;
  message: string | null;
  url: string | null;
  committed_at: string | null;
  from_git: boolean;
};

function entryOf(obs: Observation): Entry | null {
  const sha = obs.revision?.sha;
  const app = appNameOf(obs);
  if (!sha || !app) return null;
  const source = obs.details.type === "source" ? obs.details : null;
  return {
    app,
    repo_url: obs.revision?.repoUrl ?? null,
    sha,
    branch: source?.branch ?? obs.revision?.ref ?? null,
    author: source ? (source.author.name ?? source.author.username ?? source.author.email) : null,
    author_email: source?.author.email ?? null,
    author_username: source?.author.username ?? null,
    pushed_by: source?.pushedBy ?? null,
    message: source?.message ?? null,
    url: source?.url ?? null,
    committed_at: source?.committedAt ?? null,
    from_git: obs.system === "git",
  };
}

/** Finds each entry's app by repository URL, else by name; creates the missing ones. */
async function appIds(db: Queryable, entries: Entry[]): Promise<Map<Entry, number>> {
  const names = [...new Set(entries.map((e) => e.app))];
  const repos = [...new Set(entries.flatMap((e) => (e.repo_url ? [e.repo_url] : [])))];
  const found = await db.query<{ id: number; name: string; repo_url: string | null }>(
    "select id, name, repo_url from apps where repo_url = any($1::text[]) or name = any($2::text[])",
    [repos, names],
  );
  const byRepo = new Map(
    found.rows.filter((a) => a.repo_url).map((a) => [a.repo_url as string, a.id]),
  );
  const byName = new Map(found.rows.map((a) => [a.name, a.id]));
  const missing = new Map<string, string | null>();
  for (const e of entries) {
    if ((e.repo_url && byRepo.has(e.repo_url)) || byName.has(e.app)) continue;
    if (!missing.has(e.app) && ![...missing.values()].includes(e.repo_url))
      missing.set(e.app, e.repo_url);
    else if (!missing.has(e.app)) missing.set(e.app, null);
  }
  if (missing.size > 0) {
    const created = await db.query<{ id: number; name: string; repo_url: string | null }>(
      `insert into apps (name, repo_url)
       select v.name, v.repo_url from jsonb_to_recordset($1::jsonb) as v(name text, repo_url text)
       on conflict (name) do update set repo_url = coalesce(apps.repo_url, excluded.repo_url)
       returning id, name, repo_url`,
      [JSON.stringify([...missing].map(([name, repo_url]) => ({ name, repo_url })))],
    );
    for (const a of created.rows) {
      byName.set(a.name, a.id);
      if (a.repo_url) byRepo.set(a.repo_url, a.id);
    }
  }
  return new Map(
    entries.map((e) => [
      e,
      (e.repo_url && byRepo.get(e.repo_url)) || (byName.get(e.app) as number),
    ]),
  );
}

export async function upsertCommits(
  db: Queryable,
  observations: Observation[],
): Promise<CommitRef[]> {
  const entries = observations.map(entryOf).filter((e): e is Entry => e !== null);
  if (entries.length === 0) return [];
  const apps = await appIds(db, entries);
  // One row per app and SHA; a push's metadata wins over a build's nothing.
  const merged = new Map<string, Entry & { app_id: number }>();
  for (const e of entries) {
    const key = `${apps.get(e)} ${e.sha}`;
    const prior = merged.get(key);
    merged.set(
      key,
      prior
        ? {
            ...prior,
            ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null && v !== false)),
            app_id: prior.app_id,
          }
        : { ...e, app_id: apps.get(e) as number },
    );
  }
  const rows = [...merged.values()];
  const result = await db.query<{ id: bigint; sha: string; inserted: boolean; app_id: number }>(
    `insert into commits (app_id, sha, branch, author, author_email, author_username, pushed_by,
                          message, url, committed_at, updated_at)
     select v.app_id, v.sha, v.branch, v.author, v.author_email, v.author_username, v.pushed_by,
            v.message, v.url, v.committed_at, now()
       from jsonb_to_recordset($1::jsonb) as v(app_id int, sha text, branch text, author text, author_email text,
                                               author_username text, pushed_by text,
                                               message text, url text, committed_at timestamptz)
     on conflict (app_id, sha) do update set
       branch = coalesce(commits.branch, excluded.branch),
       author = coalesce(excluded.author, commits.author),
       author_email = coalesce(excluded.author_email, commits.author_email),
       author_username = coalesce(excluded.author_username, commits.author_username),
       pushed_by = coalesce(excluded.pushed_by, commits.pushed_by),
       message = coalesce(excluded.message, commits.message),
       url = coalesce(excluded.url, commits.url),
       committed_at = coalesce(excluded.committed_at, commits.committed_at),
       updated_at = now()
     returning id, sha, app_id, (xmax = 0) as inserted`,
    [JSON.stringify(rows)],
  );
  const fromGit = new Set(rows.filter((r) => r.from_git).map((r) => `${r.app_id} ${r.sha}`));
  return result.rows.map((row) => ({
    id: row.id,
    sha: row.sha,
    created: row.inserted,
    fromGit: fromGit.has(`${row.app_id} ${row.sha}`),
  }));
}
