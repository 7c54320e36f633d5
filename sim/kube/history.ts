// The bounded event history of one cluster: what watches replay from, and how older list pages are rebuilt.
import { expired } from "./status-errors";
import type { KubeObject } from "./types";

export interface StoredEvent {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  /** Version-independent resource identity, `${group}/${plural}`. */
  typeKey: string;
  /** `${namespace}/${name}` ("" namespace for cluster-scoped objects). */
  key: string;
  /** The object after the event; for DELETED, the last state stamped with the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the event (undefined for ADDED). */
  prev?: KubeObject;
}

export class History {
  private events: StoredEvent[] = [];
  /** Every event with rv greater than this is retained. */
  private compactedRv = 0;
  private readonly window: number;

  constructor(window: number) {
    this.window = Math.max(1, window);
  }

  push(ev: StoredEvent): void {
    this.events.push(ev);
    while (this.events.length > this.window) this.compactedRv = this.events.shift()!.rv;
  }

  /** Forgets everything up to `rv` (the current resourceVersion): older versions now get 410. */
  compact(rv: number): void {
    this.events = this.events.filter((e) => e.rv > rv);
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  oldestAvailable(): number {
    return this.compactedRv;
  }

  /** Events after `rv`, oldest first; 410 Expired when some of them were already dropped. */
  since(rv: number): StoredEvent[] {
    if (rv < this.compactedRv) {
      throw expired(`too old resource version: ${rv} (${this.compactedRv + 1})`);
    }
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  /**
   * The objects of one resource as they were at `rv`, rebuilt by undoing later events on `current`
   * (a continue token must list from the same snapshot as its first page).
   */
  snapshot(typeKey: string, current: Map<string, KubeObject>, rv: number): Map<string, KubeObject> {
    const later = this.since(rv).filter((e) => e.typeKey === typeKey);
    const snap = new Map(current);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i];
      if (e.type === "ADDED") snap.delete(e.key);
      else if (e.prev) snap.set(e.key, e.prev);
    }
    return snap;
  }
}
