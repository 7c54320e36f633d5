// The simulator's clock and log line: timers on a scaled clock (Scheduler), the Stopped signal
// that unwinds sleeping flows when the simulator stops, metav1.Time, and the logger callback.

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  [field: string]: unknown;
}
export type Logger = (entry: LogEntry) => void;

/** Thrown into sleeping flows when the simulator stops, so they unwind quietly. */
export class Stopped extends Error {
  constructor() {
    super("simulator stopped");
  }
}

/** Timers on a scaled clock: `after(1000)` waits 1000 ms × timeScale. Closing cancels them all. */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<(err: Error) => void>();
  private closed = false;

  constructor(
    readonly timeScale: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale));
  }

  /** Runs fn after `ms` simulated milliseconds (unscaled with `real`). */
  after(ms: number, fn: () => void | Promise<void>, real = false): () => void {
    if (this.closed) return () => {};
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (this.closed) return;
        try {
          const r = fn();
          if (r instanceof Promise) r.catch((err: unknown) => this.report(err));
        } catch (err) {
          this.report(err);
        }
      },
      real ? ms : this.scaled(ms),
    );
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after `ms` simulated milliseconds; rejects with Stopped when the simulator closes. */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new Stopped());
    return new Promise((resolve, reject) => {
      this.sleepers.add(reject);
      this.after(ms, () => {
        this.sleepers.delete(reject);
        resolve();
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const reject of this.sleepers) reject(new Stopped());
    this.sleepers.clear();
  }

  private report(err: unknown) {
    if (!(err instanceof Stopped)) this.onError(err);
  }
}

/** metav1.Time: RFC 3339 in whole seconds. */
export function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}
