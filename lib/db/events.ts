// The one rule for writers of the events table: take the events lock right before the insert.
// The hub (lib/realtime/hub.ts) reads events after the last id it has seen, so ids must become
// visible in id order. Two transactions that insert at once (a gate decision on one replica, a
// watch batch on the leader) could commit the later id first, and the hub would pass over the
// earlier one for good. Under this lock, held until commit, the next id goes to the next commit.
import type { Queryable } from "./pool";

const EVENTS_LOCK = 0x5_4150_4576; // any constant shared by all replicas

/** Call inside the transaction, as its last step before inserting events (then commit soon). */
export async function lockEvents(db: Queryable): Promise<void> {
  await db.query("select pg_advisory_xact_lock($1)", [EVENTS_LOCK]);
}
