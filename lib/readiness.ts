// Readiness: the database answers and is migrated, and this replica's watchers (if it runs
// them) are not stuck failing.
import "server-only";
import { checkDatabase, type Check } from "./db/health";
import { ingestStatus, type IngestStatus } from "./ingest/runtime";

/** Watchers may blink (a dropped watch reconnects in seconds); a minute of failing is not ready. */
const WATCH_FAILURE_GRACE_MS = 60_000;

export function checkWatchers(status: IngestStatus, now: number): Check {
  if (!status.configured) return { ok: true, detail: "no cluster configured" };
  if (!status.leader) return { ok: true, detail: "another replica runs the watchers" };
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
  checks: { database: Check; watchers: Check };
}> {
  const database = await checkDatabase();
  const watchers = checkWatchers(ingestStatus(), Date.now());
  return { ready: database.ok && watchers.ok, checks: { database, watchers } };
}
