// Which cached queries a server-sent event makes stale. Pure: the live hook hands every cached
// query's key and data to `affects`, and invalidates exactly those it returns true for.
import type { CommitFilters } from "@/lib/query-keys";
import { gateEventAffects } from "./gate-invalidate";
import type { LiveEvent } from "./live-event";

export { parseLiveEvent, type LiveEvent } from "./live-event";

function runBelongsTo(data: unknown, app: string, sha: string): boolean {
  const run = data as { app?: unknown; sha?: unknown } | undefined;
  return run?.app === app && typeof run.sha === "string" && run.sha.toLowerCase() === sha;
}

/** Whether the query with this key (and cached data) shows something the event changed. */
export function affects(event: LiveEvent, key: readonly unknown[], data: unknown): boolean {
  const [root, kind] = key;
  // Gate lists, and for a `gate` event the timelines showing that gate: the gate rules decide.
  if (root === "approvals" || event.type === "gate") return gateEventAffects(event, key, data);
  const { app, sha } = event.payload;
  switch (root) {
    case "apps":
      return true;
    case "commits":
      if (kind === "list") {
        const filters = (key[2] ?? {}) as CommitFilters;
        return !filters.app || filters.app === app;
      }
      if (kind === "detail") {
        return key[2] === app && typeof key[3] === "string" && sha.startsWith(key[3]);
      }
      return false;
    case "deployments":
      return key[1] === null || key[1] === app;
    case "runs":
      // A run's detail names its commit; its logs are refetched with it while it is open.
      return key.length === 5 && runBelongsTo(data, app, sha);
    default:
      return false;
  }
}
