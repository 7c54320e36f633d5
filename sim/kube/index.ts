// The Kubernetes API simulator: several clusters behind one HTTPS port, each under /clusters/{name}.
import { Admission, type AdmissionHook } from "./admission";
import path from "node:path";
import { type SimCerts, ensureCerts } from "../certs";
import { buildKubeconfig, writeKubeconfig } from "../kubeconfig";
import { DEFAULT_TOKEN, DEFAULT_TOKENS, type TokenUser } from "./auth";
import { crdType, namespaceType } from "./builtin-types";
import { Faults } from "./faults";
import { startKubeHttpServer } from "./http-server";
import type { ControlHandler } from "./sim-control";
import { ResourceRegistry } from "./registry";
import { Store } from "./store";
import { RequestLog } from "./request-log";
import { WriteLog } from "./write-log";

export { Store } from "./store";
export type {
  CreateOptions,
  DeleteOptions,
  ListOptions,
  PatchType,
  UpdateOptions,
  WatchHandle,
  WatchOptions,
} from "./store";
export { KubeError } from "./status-errors";
export type { StatusBody } from "./status-errors";
export type { KindRef, KubeList, KubeObject, ObjectMeta, ResourceType, WatchEvent } from "./types";
export type { WriteEntry } from "./write-log";
export type { RequestEntry, RequestFilter } from "./request-log";
export { RequestLog } from "./request-log";
export type { FaultState } from "./faults";
export { Faults } from "./faults";
export { WriteLog } from "./write-log";
export { ResourceRegistry } from "./registry";
export { DEFAULT_TOKEN } from "./auth";
export type { TokenUser } from "./auth";
export type { ControlHandler } from "./sim-control";
export type { AdmissionHook, AdmissionRequest } from "./admission";

export const DEFAULT_CLUSTERS = ["staging", "production"];
export const DEFAULT_NAMESPACES = ["default", "ci", "kpack", "argocd", "apps"];

export interface KubeApiOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Address to listen on (default 127.0.0.1; the certificate covers 127.0.0.1 and localhost). */
  host?: string;
  /** Where certificates and the parsed-CRD cache live (default .shiplog/sim under the working directory). */
  dir?: string;
  /** Events each cluster keeps for watch resumption; older resourceVersions get 410 (default 1000). */
  historyWindow?: number;
  /** Cluster names (default staging, production); each is its own store and resourceVersion sequence. */
  clusters?: string[];
  /** Namespaces created in every cluster at start. */
  namespaces?: string[];
  /** Bearer tokens and who they authenticate as (default: DEFAULT_TOKEN → user "shiplog"). */
  tokens?: Record<string, TokenUser>;
  /** How often watches that allow bookmarks get one (default 10 s; the real apiserver: about a minute). */
  bookmarkIntervalMs?: number;
  now?: () => Date;
  /** Told about unexpected errors (500s, throwing in-process watch listeners). */
  onError?: (err: unknown) => void;
}

export interface KubeApi {
  /** https://host:port (no cluster prefix). */
  url: string;
  port: number;
  /** Server URL of each cluster, e.g. https://127.0.0.1:6443/clusters/staging. */
  clusterUrls: Record<string, string>;
  clusters: Record<string, Store>;
  registry: ResourceRegistry;
  faults: Faults;
  writes: WriteLog;
  /** Every authenticated HTTP request as the authorizer sees it (GET /_sim/requests). */
  requests: RequestLog;
  certs: SimCerts;
  /** A token the kubeconfig uses. */
  token: string;
  /** `token`: another of `tokens`, for a client that is not Shiplog (default: the first). */
  kubeconfig(opts?: { currentContext?: string; namespace?: string; token?: string }): string;
  /** Writes a kubeconfig with one context per cluster (current-context: the first cluster, staging). */
  writeKubeconfig(
    file: string,
    opts?: { currentContext?: string; namespace?: string; token?: string },
  ): Promise<string>;
  /**
   * Serves `GET <path>` (under /_sim/, no auth, never faulted) with the JSON `handler` returns:
   * how a scenario publishes its own state, e.g. /_sim/truth.
   */
  addControl(path: string, handler: ControlHandler): void;
  /** Validates HTTP updates and patches of `resource` ("plural.group"), like an admission webhook. */
  addAdmission(resource: string, hook: AdmissionHook): void;
  close(): Promise<void>;
}

export async function createKubeApi(opts: KubeApiOptions = {}): Promise<KubeApi> {
  const dir = path.resolve(opts.dir ?? path.join(".shiplog", "sim"));
  const host = opts.host ?? "127.0.0.1";
  const now = opts.now ?? (() => new Date());
  const tokens = opts.tokens ?? DEFAULT_TOKENS;
  const token = Object.keys(tokens)[0] ?? DEFAULT_TOKEN;
  const certs = await ensureCerts(dir);
  const registry = ResourceRegistry.standard(dir);

  const clusters: Record<string, Store> = {};
  for (const name of opts.clusters ?? DEFAULT_CLUSTERS) {
    const store = new Store({
      cluster: name,
      registry,
      historyWindow: opts.historyWindow,
      now,
      onListenerError: opts.onError,
    });
    for (const crd of registry.crdObjects) store.create(crd, { type: crdType, keepStatus: true });
    for (const ns of opts.namespaces ?? DEFAULT_NAMESPACES) {
      store.create(
        { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
        { type: namespaceType },
      );
    }
    clusters[name] = store;
  }

  const faults = new Faults(clusters);
  const writes = new WriteLog();
  const requests = new RequestLog();
  const controls = new Map<string, ControlHandler>();
  const admission = new Admission();
  const server = await startKubeHttpServer({
    controls,
    host,
    port: opts.port ?? 0,
    tls: { key: certs.keyPem, cert: certs.certPem },
    clusters,
    tokens,
    env: {
      faults,
      writes,
      requests,
      admission,
      bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 10_000,
      now,
    },
    onError: opts.onError,
  });

  const url = `https://${host}:${server.port}`;
  const clusterUrls = Object.fromEntries(
    Object.keys(clusters).map((c) => [c, `${url}/clusters/${c}`]),
  );
  const kubeconfigOpts = (
    o: { currentContext?: string; namespace?: string; token?: string } = {},
  ) => ({
    clusters: clusterUrls,
    caPem: certs.caPem,
    token: o.token ?? token,
    currentContext: o.currentContext,
    namespace: o.namespace,
  });

  return {
    url,
    port: server.port,
    clusterUrls,
    clusters,
    registry,
    faults,
    writes,
    requests,
    certs,
    token,
    kubeconfig: (o) => buildKubeconfig(kubeconfigOpts(o)),
    writeKubeconfig: (file, o) => writeKubeconfig(file, kubeconfigOpts(o)),
    addControl: (path, handler) => {
      if (!path.startsWith("/_sim/")) throw new Error(`control paths live under /_sim/: ${path}`);
      if (["/_sim/faults", "/_sim/writes", "/_sim/requests"].includes(path))
        throw new Error(`${path} is taken`);
      controls.set(path, handler);
    },
    addAdmission: (resource, hook) => admission.add(resource, hook),
    close: () => server.close(),
  };
}
