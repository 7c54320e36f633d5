// Watches every kind of lib/sources in every configured cluster and feeds the store in batches.
// A bad object is logged and skipped; a failed write is retried, never dropped.
import type pg from "pg";
import { startInformer, type InformerEvent, type RunningInformer } from "../k8s/informer";
import type { ClusterConnection } from "../k8s/kubeconfig";
import { normalizeResource, WATCHED_KINDS } from "../sources";
import type { SourceOptionsInput } from "../sources/options";
import { ingestInOrder, type Incoming } from "./store";

type Logger = Parameters<typeof startInformer>[0]["log"] & {
  error(fields: object, message: string): void;
};

export type WatcherStatus = {
  cluster: string;
  kind: string;
  namespace: string;
  state: string;
  failingSince: number | null;
};

export type Watchers = { status(): WatcherStatus[]; stop(): Promise<void> };

export type WatcherOptions = {
  clusters: ClusterConnection[];
  namespaces: string[];
  sources?: SourceOptionsInput;
  pool: pg.Pool;
  log: Logger;
  batchMs?: number;
  /** The most objects one batch writes (default MAX_BATCH). */
  maxBatch?: number;
  /**
   * Where batches go, in the order given (default: the store, through ingestInOrder); tests wrap
   * it to record what was delivered.
   */
  store?: (pool: pg.Pool, batch: Incoming[]) => Promise<unknown>;
  /**
   * Batches written at once (default 2): the next is staged while the one before holds the
   * ingest lock. A backlog drains faster so: the benchmark's 14,000 events took 3.0 s against
   * 3.7 s one batch at a time (medians of 6 alternating runs, 2026-11-26).
   */
  inFlight?: number;
  /** Told of each batch once it is stored (the step-log keeper follows finished runs so). */
  onStored?: (batch: Incoming[]) => void;
  /**
   * Told of every object the watches report, as it comes and whether or not it normalizes (the
   * gate controller reconciles its kinds so, on the same watch).
   */
  onObject?: (seen: { scope: Incoming["scope"]; object: unknown; deleted: boolean }) => void;
};

/**
 * The most objects one batch writes. Each batch has a fixed cost (its round trips, the commit, the
 * lock's hand-over), so a backlog drains faster in larger ones: the benchmark's 14,000 events took
 * 3.4 s in batches of 1,000 against 3.9 s in batches of 500 (medians of 6 alternating runs,
 * 2026-11-26). A quiet stream still writes each change within batchMs.
 */
export const MAX_BATCH = 1_000;

/** The default store: ingest, each batch in the order it was handed over. */
function inOrderStore(pool: pg.Pool) {
  const write = ingestInOrder(pool);
  return (_: pg.Pool, batch: Incoming[]) => write(batch);
}

export function startWatchers(options: WatcherOptions): Watchers {
  const { pool, log } = options;
  const batchMs = options.batchMs ?? 25;
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const store = options.store ?? inOrderStore(pool);
  const depth = Math.max(1, options.inFlight ?? 2);
  // Keyed by cluster + uid + resourceVersion order: a newer event for the same object replaces an
  // older one still waiting, so the queue stays as small as the set of changed objects.
  const queue = new Map<string, Incoming>();
  let timer: NodeJS.Timeout | undefined;
  const flushing = new Set<Promise<void>>();
  let failures = 0;
  let stopped = false;

  /** Writes one batch off the queue; on failure puts it back (unless newer versions came). */
  const write = (batch: Incoming[]): Promise<void> =>
    store(pool, batch)
      .then(() => {
        failures = 0;
        try {
          options.onStored?.(batch);
        } catch (err) {
          // Stored is stored: a listener's failure must not put the batch back.
          log.error({ err }, "a listener of stored batches failed");
        }
      })
      .catch((err: unknown) => {
        // Put the batch back unless a newer version of an object arrived meanwhile.
        for (const incoming of batch)
          if (!queue.has(keyOf(incoming))) queue.set(keyOf(incoming), incoming);
        failures++;
        log.error({ err, size: batch.length, failures }, "storing a batch failed; retrying");
      });

  /** Starts batches while fewer than `depth` are in flight (one while retrying after a failure). */
  const flush = async (): Promise<void> => {
    timer = undefined;
    const started: Promise<void>[] = [];
    while (flushing.size < (failures ? 1 : depth) && queue.size > 0) {
      // The oldest entries, without copying a long backlog for each batch.
      const batch: Incoming[] = [];
      for (const incoming of queue.values()) {
        if (batch.length === maxBatch) break;
        batch.push(incoming);
      }
      for (const incoming of batch) queue.delete(keyOf(incoming));
      const writing: Promise<void> = write(batch).finally(() => {
        flushing.delete(writing);
        if (!stopped && queue.size > 0)
          schedule(failures ? Math.min(30_000, 250 * 2 ** failures) : 0);
      });
      flushing.add(writing);
      started.push(writing);
    }
    await Promise.all(started);
  };

  const schedule = (delay = batchMs) => {
    if (timer || stopped) return;
    timer = setTimeout(() => void flush(), queue.size >= maxBatch ? 0 : delay);
  };

  const informers: {
    cluster: string;
    kind: string;
    namespace: string;
    informer: RunningInformer;
  }[] = [];
  for (const cluster of options.clusters) {
    const scope = { cluster: cluster.context, environment: cluster.environment };
    for (const kind of WATCHED_KINDS) {
      for (const namespace of options.namespaces.length ? options.namespaces : [undefined]) {
        const onEvent = (event: InformerEvent) => {
          // Items of a list may come without apiVersion and kind; the watch says which kind it is.
          const object = {
            apiVersion: `${kind.group}/${kind.version}`,
            kind: kind.kind,
            ...event.object,
          };
          try {
            options.onObject?.({ scope, object, deleted: event.type === "delete" });
          } catch (err) {
            log.error({ err }, "a listener of watched objects failed");
          }
          const result = normalizeResource(object, options.sources);
          if (!result.ok) {
            const meta = event.object.metadata;
            log.warn(
              {
                cluster: cluster.context,
                kind: kind.kind,
                name: meta?.name,
                namespace: meta?.namespace,
                err: result.error.message,
              },
              "skipped an object that cannot be read",
            );
            return;
          }
          for (const observation of result.observations) {
            const incoming: Incoming = {
              scope,
              observation,
              object,
              deleted: event.type === "delete",
            };
            queue.set(keyOf(incoming), incoming);
          }
          schedule();
        };
        const informer = startInformer({
          kubeConfig: cluster.kubeConfig,
          kind,
          namespace,
          onEvent,
          log,
        });
        informers.push({
          cluster: cluster.context,
          kind: kind.kind,
          namespace: namespace ?? "*",
          informer,
        });
      }
    }
  }

  return {
    status: () =>
      informers.map(({ cluster, kind, namespace, informer }) => ({
        cluster,
        kind,
        namespace,
        state: informer.state(),
        failingSince: informer.failingSince(),
      })),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(informers.map(({ informer }) => informer.stop()));
      await Promise.all(flushing);
      while (queue.size > 0) {
        const before = queue.size;
        await flush();
        if (queue.size >= before) break;
      }
    },
  };
}

function keyOf(incoming: Incoming): string {
  const obs = incoming.observation;
  const revision =
    obs.kind === "Application" && obs.details.type === "deploy"
      ? `@${obs.details.revision ?? ""}`
      : "";
  return `${incoming.scope.cluster}\u0000${obs.uid ?? obs.key}${revision}`;
}
