// Which cached queries an event about a gate makes stale, for the live connection (through
// lib/client/invalidate.ts) and for a decision made in this tab. Pure: given an event and a
// query's key and data, true or false.
import { queryKeys } from "@/lib/query-keys";
import type { LiveEvent } from "./live-event";

type ListedGate = { id?: unknown; app?: unknown; sha?: unknown };

const listed = (data: unknown): ListedGate[] =>
  Array.isArray(data) ? (data as ListedGate[]).filter((g) => typeof g === "object" && g) : [];

const isGateKey = (key: readonly unknown[]) => key[0] === queryKeys.approvals.all[0];

function isGateList(key: readonly unknown[]): boolean {
  return isGateKey(key) && key[1] === queryKeys.approvals.lists()[1];
}

/** A commit timeline (`["commits", "detail", app, sha]`) whose approval stages name this gate. */
function timelineShowsGate(key: readonly unknown[], data: unknown, gateId: string): boolean {
  if (key[0] !== "commits" || key[1] !== "detail") return false;
  const stages = (data as { stages?: unknown } | undefined)?.stages;
  if (!Array.isArray(stages)) return false;
  return stages.some((s: { details?: { gateId?: unknown } }) => s?.details?.gateId === gateId);
}

/**
 * A `gate` event: the pending list always (a gate opened, got a decision or left it), the decided
 * list once the gate is settled, and the timelines that show the gate. A `timeline` event: gate
 * lists showing a gate of that commit, or a gate not yet tied to a commit (it may be this one's).
 */
export function gateEventAffects(
  event: LiveEvent,
  key: readonly unknown[],
  data: unknown,
): boolean {
  if (event.type === "gate") {
    const { id, status } = event.payload;
    // The decided list only once the gate is settled; any other gate query (pending, every status).
    if (isGateKey(key)) return key[2] === "decided" ? status !== "pending" : true;
    return timelineShowsGate(key, data, id);
  }
  if (!isGateList(key)) return false;
  const { app, sha } = event.payload;
  return listed(data).some(
    (g) =>
      g.app === null ||
      g.sha === null ||
      (g.app === app && typeof g.sha === "string" && g.sha.toLowerCase() === sha),
  );
}

/** The keys a decision on a commit's gate makes stale: both gate lists and that commit's timeline. */
export function decisionInvalidates(
  app: string | null,
  sha: string | null,
): (readonly unknown[])[] {
  const keys: (readonly unknown[])[] = [queryKeys.approvals.lists()];
  if (app && sha) keys.push(queryKeys.commits.detail(app, sha));
  return keys;
}
