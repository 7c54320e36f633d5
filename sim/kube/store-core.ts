// Reading side of one simulated cluster's storage: objects, the resourceVersion sequence, bounded
// history, lists (with consistent continue pages) and watches. Writes live in store.ts.
import { decodeContinue, encodeContinue } from "./continue-token";
import { type ObjectFilter, makeFilter, matchesFilter, projectEvent } from "./filter";
import { History, type StoredEvent } from "./history";
import { PodLogs } from "./pod-logs";
import { ResourceRegistry } from "./registry";
import { badRequest, notFound } from "./status-errors";
import type { ListOptions, StoreOptions, TypeArg, WatchOptions } from "./store-types";
import type { KubeList, KubeObject, ResourceType, WatchEvent } from "./types";
import { type WatchHandle, WatchHub } from "./watch-hub";

const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

function deepFreeze<T>(o: T): T {
  if (typeof o === "object" && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function parseRv(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return Number(rv);
}

export class StoreCore {
  readonly cluster: string;
  readonly registry: ResourceRegistry;
  readonly logs = new PodLogs();
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: History;
  private readonly hub: WatchHub;
  protected readonly now: () => Date;
  private rv = 0;

  constructor(opts: StoreOptions) {
    this.cluster = opts.cluster;
    this.registry = opts.registry;
    this.history = new History(opts.historyWindow ?? 1000);
    this.now = opts.now ?? (() => new Date());
    this.hub = new WatchHub(opts.onListenerError ?? (() => {}));
  }

  resourceVersion(): string {
    return String(this.rv);
  }

  typeOf(ref: TypeArg): ResourceType {
    return typeof ref === "object" && "plural" in ref ? ref : this.registry.resolve(ref);
  }

  get(ref: TypeArg, namespace: string | undefined, name: string): KubeObject {
    return structuredClone(this.stored(this.typeOf(ref), namespace, name));
  }

  list(ref: TypeArg, opts: ListOptions = {}): KubeList {
    const type = this.typeOf(ref);
    const filter = makeFilter(type, opts);
    let atRv = this.rv;
    let after: string | undefined;
    if (opts.continue) {
      ({ rv: atRv, start: after } = decodeContinue(opts.continue, this.history.oldestAvailable()));
    } else if (opts.resourceVersion && opts.resourceVersionMatch === "Exact") {
      atRv = parseRv(opts.resourceVersion);
    }
    const current = this.bucket(type);
    const source =
      atRv === this.rv ? current : this.history.snapshot(ResourceRegistry.key(type), current, atRv);
    const keys = [...source.keys()].filter((k) => after === undefined || k > after).sort();
    const selected = keys.filter((k) => matchesFilter(filter, source.get(k)!));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : selected.length;
    const page = selected.slice(0, limit);
    const metadata: KubeList["metadata"] = { resourceVersion: String(atRv) };
    if (page.length < selected.length) {
      metadata.continue = encodeContinue(atRv, page[page.length - 1]);
      if (!opts.labelSelector && !opts.fieldSelector)
        metadata.remainingItemCount = selected.length - page.length;
    }
    return {
      apiVersion: type.apiVersion,
      kind: type.listKind,
      metadata,
      items: page.map((k) => structuredClone(source.get(k)!)),
    };
  }

  /**
   * Watches one resource (or, with `ref` undefined, every resource) from `resourceVersion`:
   * absent/"0" replays the current state as ADDED; a number replays retained history after it, or
   * throws a 410 Expired KubeError when it is older than the history. The listener gets its own copies.
   */
  watch(
    ref: TypeArg | undefined,
    opts: WatchOptions,
    listener: (ev: WatchEvent) => void,
  ): WatchHandle {
    return this.watchRaw(ref, opts, (ev) =>
      listener({ type: ev.type, object: structuredClone(ev.object) }),
    );
  }

  /** Like watch, but hands out the stored (frozen) objects: for serializers that only read. */
  watchRaw(
    ref: TypeArg | undefined,
    opts: WatchOptions,
    listener: (ev: WatchEvent) => void,
  ): WatchHandle {
    const type = ref === undefined ? undefined : this.typeOf(ref);
    const filter = makeFilter(type, opts);
    const rvParam = opts.resourceVersion;
    const fromState = !rvParam || rvParam === "0" || opts.sendInitialEvents === true;
    const replay: WatchEvent[] = fromState
      ? this.currentEvents(filter)
      : this.history
          .since(parseRv(rvParam))
          .map((e) => projectEvent(filter, e))
          .filter((e): e is WatchEvent => e !== undefined);
    if (opts.sendInitialEvents) replay.push(this.bookmark(type, true));
    return this.hub.subscribe(filter, this.rv, replay, listener);
  }

  /** A BOOKMARK event carrying the current resourceVersion. */
  bookmark(type: ResourceType | undefined, initialEventsEnd = false): WatchEvent {
    const metadata: Record<string, unknown> = { resourceVersion: String(this.rv) };
    if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END]: "true" };
    return {
      type: "BOOKMARK",
      object: { kind: type?.kind ?? "", apiVersion: type?.apiVersion ?? "", metadata },
    };
  }

  /** Drops all history: watches and continue tokens from before now get 410. */
  compact(): void {
    this.history.compact(this.rv);
  }

  protected bucket(type: ResourceType): Map<string, KubeObject> {
    const k = ResourceRegistry.key(type);
    let m = this.objects.get(k);
    if (!m) this.objects.set(k, (m = new Map()));
    return m;
  }

  protected stored(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const ns = type.namespaced ? (namespace ?? "") : "";
    const obj = this.bucket(type).get(`${ns}/${name}`);
    if (!obj) throw notFound(type, name);
    return obj;
  }

  protected commit(
    type: ResourceType,
    evType: StoredEvent["type"],
    key: string,
    next: KubeObject | undefined,
    prev: KubeObject | undefined,
  ): KubeObject {
    const rv = ++this.rv;
    const base = next ?? structuredClone(prev!);
    base.metadata.resourceVersion = String(rv);
    const object = deepFreeze(base);
    if (evType === "DELETED") this.bucket(type).delete(key);
    else this.bucket(type).set(key, object);
    const ev: StoredEvent = {
      rv,
      type: evType,
      typeKey: ResourceRegistry.key(type),
      key,
      object,
      prev,
    };
    this.history.push(ev);
    this.hub.publish(ev);
    return structuredClone(object);
  }

  private currentEvents(filter: ObjectFilter): WatchEvent[] {
    const types = filter.type ? [filter.type] : this.registry.types;
    return types.flatMap((t) => {
      const bucket = this.bucket(t);
      return [...bucket.keys()]
        .sort()
        .map((k) => bucket.get(k)!)
        .filter((o) => matchesFilter(filter, o))
        .map((object): WatchEvent => ({ type: "ADDED", object }));
    });
  }
}
