// Readiness: the database answers and is migrated, and this replica's watchers (if it runs
// them) are not stuck failing, and whether this replica leads (runs the watchers). /api/readyz is
// public: the database's own error text (host names, users, driver messages) goes to the log, the
// answer says only which way it failed.
import "server-only";
import { checkDatabase, type Check } from "./db/health";
import { ingestStatus, type IngestStatus } from "./ingest/runtime";
import { log } from "./log";

/** A database check as anyone may see it: ok, or one word of why not. */
export function publicDatabaseCheck(check: Check): Check {
  if (check.ok) return check;
  const detail = check.detail ?? "";
  const reason = detail.startsWith("not migrated")
    ? "not migrated"
    : detail.startsWith("no answer")
      ? "no answer"
      : "unreachable";
  return { ok: false, detail: `database ${reason}` };
}

/** Watchers may blink (a dropped watch reconnects in seconds); a minute of failing is not ready. */
const WATCH_FAILURE_GRACE_MS = 60_000;

export function checkWatchers(status: IngestStatus, now: number): Check {
  if (!status.configured) return { ok: true, detail: "no cluster configured" };
  if (!status.leader) {
    // A replica that does not lead serves pages, the API and live events all the same.
    const { role, reason } = status.leadership;
    return role === "follower"
      ? { ok: true, detail: "another replica runs the watchers" }
      : { ok: true, detail: `taking the watcher lock${reason ? ` (last try: ${reason})` : ""}` };
  }
  const failing = status.watchers.filter(
    (w) => w.failingSince !== null && now - w.failingSince > WATCH_FAILURE_GRACE_MS,
  );
  if (failing.length === 0)
    return {
      ok: true,
      detail: `${status.watchers.length} watches in ${status.clusters.length} clusters`,
    };
  return {
    ok: false,
    detail: `failing: ${failing.map((w) => `${w.cluster}/${w.kind}`).join(", ")}`,
  };
}

export async function readiness(): Promise<{
  ready: boolean;
  /** Whether this replica holds the watcher lock; null when it watches nothing. */
  leader: boolean | null;
  checks: { database: Check; watchers: Check };
}> {
  const found = await checkDatabase();
  if (!found.ok) log.warn({ detail: found.detail }, "readiness: the database is not ready");
  const database = publicDatabaseCheck(found);
  const status = ingestStatus();
  const watchers = checkWatchers(status, Date.now());
  return {
    ready: database.ok && watchers.ok,
    leader: status.configured ? status.leader : null,
    checks: { database, watchers },
  };
}
