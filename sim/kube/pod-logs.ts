// Container logs of simulated pods: text set or appended in-process, read (and followed) through pods/log.

type Listener = (chunk: string) => void;

const key = (namespace: string, pod: string, container: string) =>
  `${namespace}/${pod}/${container}`;

export class PodLogs {
  private readonly texts = new Map<string, string>();
  private readonly listeners = new Map<string, Set<Listener>>();

  get(namespace: string, pod: string, container: string): string {
    return this.texts.get(key(namespace, pod, container)) ?? "";
  }

  set(namespace: string, pod: string, container: string, text: string): void {
    this.texts.set(key(namespace, pod, container), text);
  }

  append(namespace: string, pod: string, container: string, text: string): void {
    const k = key(namespace, pod, container);
    this.texts.set(k, (this.texts.get(k) ?? "") + text);
    for (const l of this.listeners.get(k) ?? []) l(text);
  }

  /** Calls `listener` with every chunk appended from now on; returns the unsubscribe function. */
  follow(namespace: string, pod: string, container: string, listener: Listener): () => void {
    const k = key(namespace, pod, container);
    if (!this.listeners.has(k)) this.listeners.set(k, new Set());
    this.listeners.get(k)!.add(listener);
    return () => {
      const set = this.listeners.get(k);
      set?.delete(listener);
      if (set?.size === 0) this.listeners.delete(k);
    };
  }

  /** Drops the logs of a deleted pod. */
  deletePod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const k of [...this.texts.keys()]) if (k.startsWith(prefix)) this.texts.delete(k);
  }
}
