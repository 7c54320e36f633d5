// A controller's work queue: keys from watch events, deduplicated, handled one at a time after the
// write that caused them (store watches deliver synchronously, inside the write).
import type { KubeObject, Store, WatchHandle, WatchOptions } from "../kube";
import type { KindRef, WatchEvent } from "../kube";
import { KubeError } from "../kube";
import { Stopped, type Logger, type Scheduler } from "./clock";

export class WorkQueue {
  private readonly pending = new Set<string>();
  private running = false;

  constructor(
    private readonly name: string,
    private readonly handle: (key: string) => void | Promise<void>,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
  ) {}

  add(key: string): void {
    if (this.scheduler.isClosed) return;
    this.pending.add(key);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Adds the key again after `ms` simulated milliseconds. */
  addAfter(key: string, ms: number): void {
    this.scheduler.after(ms, () => this.add(key));
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.scheduler.isClosed) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      try {
        await this.handle(key);
      } catch (err) {
        if (err instanceof Stopped) return;
        if (err instanceof KubeError && err.code === 409) {
          this.addAfter(key, 50); // lost a race with another writer: read again and retry
        } else if (!(err instanceof KubeError && err.code === 404)) {
          this.log({
            level: "error",
            msg: `${this.name}: reconcile failed`,
            key,
            err: String(err),
          });
        }
      }
    }
    this.running = false;
  }
}

/** Watches a kind from now on and hands "namespace/name" of every changed object to `onEvent`. */
export function watchKind(
  store: Store,
  type: KindRef,
  onEvent: (key: string, ev: WatchEvent) => void,
  opts: WatchOptions = {},
): WatchHandle {
  return store.watchRaw(type, opts, (ev) => {
    if (ev.type === "BOOKMARK" || ev.type === "ERROR") return;
    const meta = (ev.object as KubeObject).metadata;
    onEvent(`${meta.namespace ?? ""}/${meta.name}`, ev);
  });
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The object, or undefined when it is gone. */
export function getOrUndefined(
  store: Store,
  type: KindRef,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return store.get(type, namespace, name);
  } catch (err) {
    if (err instanceof KubeError && err.code === 404) return undefined;
    throw err;
  }
}
