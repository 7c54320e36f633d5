// A self-healing informer: list + watch one kind in one cluster, relist on 410 Gone (client-node
// does that), restart with exponential backoff and jitter on any other error, and restart a
// watch that has gone silent (a stalled connection sends nothing, not even bookmarks).
import * as k8s from "@kubernetes/client-node";

export type WatchedKind = { group: string; version: string; plural: string; kind: string };
export type KubeObject = k8s.KubernetesObject & Record<string, unknown>;
export type InformerEvent = { type: "add" | "update" | "delete"; object: KubeObject };
export type InformerState = "starting" | "watching" | "backing-off" | "absent" | "stopped";

type Logger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
};

export type InformerOptions = {
  kubeConfig: k8s.KubeConfig;
  kind: WatchedKind;
  namespace?: string;
  onEvent(event: InformerEvent): void;
  log: Logger;
  backoff?: { initialMs: number; maxMs: number };
  idleTimeoutMs?: number;
  random?: () => number;
};

export type RunningInformer = {
  state(): InformerState;
  /** Since when the informer has been failing (null while it watches). */
  failingSince(): number | null;
  stop(): Promise<void>;
};

/** A 404 on list: this cluster does not serve the kind (no kpack in production, say). */
function notServed(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown } | undefined;
  return e?.code === 404 || e?.statusCode === 404;
}

/** Full jitter: a random wait in [0, min(max, initial·2^attempt)). */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number,
): number {
  return Math.floor(random() * Math.min(maxMs, initialMs * 2 ** attempt));
}

export function apiPath(kind: WatchedKind, namespace?: string): string {
  const ns = namespace ? `/namespaces/${namespace}` : "";
  return `/apis/${kind.group}/${kind.version}${ns}/${kind.plural}`;
}

export function startInformer(options: InformerOptions): RunningInformer {
  const { kubeConfig, kind, namespace, log } = options;
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;
  const api = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const list = () =>
    (namespace
      ? api.listNamespacedCustomObject({
          group: kind.group,
          version: kind.version,
          namespace,
          plural: kind.plural,
        })
      : api.listClusterCustomObject({
          group: kind.group,
          version: kind.version,
          plural: kind.plural,
        })) as Promise<k8s.KubernetesListObject<KubeObject>>;
  const informer = k8s.makeInformer<KubeObject>(
    kubeConfig,
    `${apiPath(kind, namespace)}?allowWatchBookmarks=true`,
    list,
  );
  const where = {
    cluster: kubeConfig.getCurrentContext(),
    kind: kind.kind,
    namespace: namespace ?? "*",
  };

  let state: InformerState = "starting";
  let attempt = 0;
  let lastActivity = Date.now();
  let retryTimer: NodeJS.Timeout | undefined;
  let failingSince: number | null = null;

  const touch = () => {
    lastActivity = Date.now();
    if (state !== "stopped") state = "watching";
    attempt = 0;
    failingSince = null;
  };
  const emit = (type: InformerEvent["type"]) => (object: KubeObject) => {
    touch();
    options.onEvent({ type, object });
  };
  informer.on("add", emit("add"));
  informer.on("update", emit("update"));
  informer.on("delete", emit("delete"));
  informer.on("connect", () => {
    lastActivity = Date.now();
  });

  const restart = (reason: string, err?: unknown) => {
    if (state === "stopped") return;
    if (notServed(err)) {
      // Not an outage: look again now and then, in case the CRD gets installed.
      if (state !== "absent")
        log.info(where, "kind not served by this cluster; checking again every 5 minutes");
      state = "absent";
      failingSince = null;
    } else {
      state = "backing-off";
      failingSince ??= Date.now();
    }
    const delay =
      state === "absent" ? 5 * 60_000 : backoffDelay(attempt++, initialMs, maxMs, random);
    if (state === "backing-off")
      log.warn({ ...where, err, delayMs: delay, reason }, "watch interrupted; restarting");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (state !== "stopped") begin();
    }, delay);
  };
  let errors = 0;
  informer.on("error", (err) => {
    errors++;
    restart("error", err);
  });

  /** start() resolves once the list is in and the watch is open, or after reporting an error. */
  const begin = () => {
    const before = errors;
    lastActivity = Date.now();
    informer
      .start()
      .then(() => {
        if (errors !== before || state === "stopped") return;
        if (state !== "watching") log.info(where, "watching");
        touch();
      })
      .catch((error: unknown) => restart("start failed", error));
  };

  const watchdog = setInterval(
    () => {
      if (state === "watching" && Date.now() - lastActivity > idleTimeoutMs) {
        void informer.stop().then(() => restart("idle"));
      }
    },
    Math.min(idleTimeoutMs, 30_000),
  );
  watchdog.unref();

  begin();

  return {
    state: () => state,
    failingSince: () => failingSince,
    async stop() {
      state = "stopped";
      clearTimeout(retryTimer);
      clearInterval(watchdog);
      await informer.stop();
    },
  };
}
