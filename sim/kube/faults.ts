// Fault switches: drop watches, fail or hang the next N requests, compact history, pause everything.
import type { ServerResponse } from "node:http";
import type { Store } from "./store";

/** An open watch response, as the fault switches see it. */
export interface WatchStream {
  cluster: string;
  /** Ends the stream: cleanly (like a server-side timeout), or abruptly (connection reset). */
  end(abrupt: boolean): void;
  pause(): void;
  resume(): void;
}

export interface FailRule {
  remaining: number;
  mode: "error" | "hang";
  cluster?: string;
}

export interface FaultState {
  paused: boolean;
  failNext: FailRule[];
  openWatches: number;
  hungRequests: number;
}

export class Faults {
  private readonly clusters: Record<string, Store>;
  private rules: FailRule[] = [];
  private paused = false;
  private waiters: (() => void)[] = [];
  private readonly streams = new Set<WatchStream>();
  private readonly hung = new Set<ServerResponse>();

  constructor(clusters: Record<string, Store>) {
    this.clusters = clusters;
  }

  /** Closes open watches (all, or one cluster's); clients see the stream end and must re-watch. */
  dropWatches(opts: { cluster?: string; abrupt?: boolean } = {}): number {
    let n = 0;
    for (const s of [...this.streams]) {
      if (opts.cluster && s.cluster !== opts.cluster) continue;
      this.streams.delete(s);
      s.end(opts.abrupt ?? false);
      n++;
    }
    return n;
  }

  /** The next `count` API requests (optionally of one cluster) answer 500, or hang until reset/close. */
  failNext(count: number, opts: { mode?: "error" | "hang"; cluster?: string } = {}): void {
    if (count > 0)
      this.rules.push({ remaining: count, mode: opts.mode ?? "error", cluster: opts.cluster });
  }

  /** Forgets the event history so older resourceVersions get 410 Gone (all clusters, or one). */
  compact(cluster?: string): void {
    for (const [name, store] of Object.entries(this.clusters))
      if (!cluster || cluster === name) store.compact();
  }

  /** Every API request waits, and open watches hold their events, until resume(). */
  pause(): void {
    this.paused = true;
    for (const s of this.streams) s.pause();
  }

  resume(): void {
    this.paused = false;
    for (const s of this.streams) s.resume();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Clears failure rules, resumes, and releases hung requests (by destroying them). */
  reset(): void {
    this.rules = [];
    this.resume();
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  state(): FaultState {
    return {
      paused: this.paused,
      failNext: this.rules.map((r) => ({ ...r })),
      openWatches: this.streams.size,
      hungRequests: this.hung.size,
    };
  }

  // ---- hooks for the HTTP server ----

  isPaused(): boolean {
    return this.paused;
  }

  whenResumed(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Consumes one failure for a request to `cluster`, if a rule applies. */
  take(cluster: string): "error" | "hang" | undefined {
    const rule = this.rules.find((r) => !r.cluster || r.cluster === cluster);
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.mode;
  }

  hold(res: ServerResponse): void {
    this.hung.add(res);
    res.on("close", () => this.hung.delete(res));
  }

  track(stream: WatchStream): void {
    this.streams.add(stream);
    if (this.paused) stream.pause();
  }

  untrack(stream: WatchStream): void {
    this.streams.delete(stream);
  }
}
