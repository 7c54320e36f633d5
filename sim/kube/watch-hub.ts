// Delivers committed events to watchers in commit order, even when a listener writes from inside its callback.
import { type ObjectFilter, projectEvent } from "./filter";
import type { StoredEvent } from "./history";
import type { WatchEvent } from "./types";

export interface WatchHandle {
  stop(): void;
}

interface Watcher {
  filter: ObjectFilter;
  listener: (ev: WatchEvent) => void;
  /** Events up to this resourceVersion were covered by the watcher's replay. */
  startRv: number;
  stopped: boolean;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly pending: StoredEvent[] = [];
  private dispatching = false;
  private readonly onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void) {
    this.onListenerError = onListenerError;
  }

  get size(): number {
    return this.watchers.size;
  }

  publish(ev: StoredEvent): void {
    this.pending.push(ev);
    this.flush();
  }

  /**
   * Registers a watcher, hands it `replay` first, then live events after `startRv`. Writes made by
   * listeners during the replay are queued behind it.
   */
  subscribe(
    filter: ObjectFilter,
    startRv: number,
    replay: WatchEvent[],
    listener: (ev: WatchEvent) => void,
  ): WatchHandle {
    const watcher: Watcher = { filter, listener, startRv, stopped: false };
    this.watchers.add(watcher);
    const wasDispatching = this.dispatching;
    this.dispatching = true;
    try {
      for (const ev of replay) {
        if (watcher.stopped) break;
        this.deliver(watcher, ev);
      }
    } finally {
      this.dispatching = wasDispatching;
      if (!wasDispatching) this.flush();
    }
    return {
      stop: () => {
        watcher.stopped = true;
        this.watchers.delete(watcher);
      },
    };
  }

  private deliver(w: Watcher, ev: WatchEvent): void {
    try {
      w.listener(ev);
    } catch (err) {
      this.onListenerError(err);
    }
  }

  private flush(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length) {
        const ev = this.pending.shift()!;
        for (const w of [...this.watchers]) {
          if (w.stopped || ev.rv <= w.startRv) continue;
          const out = projectEvent(w.filter, ev);
          if (out) this.deliver(w, out);
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}
