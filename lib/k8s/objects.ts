// Reads and writes of custom objects for the gate controller and operators' actions: get, list,
// create and JSON merge-patch (on the object or its /status), optionally as an impersonated user.
import * as k8s from "@kubernetes/client-node";
import { kindRef } from "../sources/kinds";
import { kubeApiError, KubeApiError } from "./errors";

export { KubeApiError } from "./errors";
import type { KubeObject } from "./informer";

export type ObjectRef = { group: string; version: string; plural: string; namespace: string };

/** Whom a write acts as: the Kubernetes user (and one group) an admission webhook checks. */
export type Impersonation = { user: string; group?: string };

/**
 * Whether a name can go out as an Impersonate-User / Impersonate-Group header as it is: printable
 * ASCII, no leading or trailing space, at most 253 characters. Anything else is refused, never
 * sent altered.
 */
export function isImpersonable(name: string): boolean {
  return /^[\x21-\x7e](?:[\x20-\x7e]{0,251}[\x21-\x7e])?$/.test(name);
}

function options(extra: Record<string, string>): k8s.ConfigurationOptions {
  let opts: k8s.ConfigurationOptions | undefined;
  for (const [key, value] of Object.entries(extra)) opts = k8s.setHeaderOptions(key, value, opts);
  return opts ?? {};
}

const MERGE = { "Content-Type": k8s.PatchStrategy.MergePatch };

export type ObjectClient = {
  get(ref: ObjectRef, name: string): Promise<KubeObject>;
  list(ref: ObjectRef, labelSelector?: string): Promise<KubeObject[]>;
  create(ref: ObjectRef, body: object): Promise<KubeObject>;
  /** JSON merge-patch of the object (`status: true`: its /status subresource). */
  mergePatch(
    ref: ObjectRef,
    name: string,
    body: object,
    opts?: { status?: boolean; as?: Impersonation },
  ): Promise<KubeObject>;
};

const clients = new WeakMap<k8s.KubeConfig, ObjectClient>();

/** The object client of one cluster connection, made once per connection. */
export function objectClient(kubeConfig: k8s.KubeConfig): ObjectClient {
  let client = clients.get(kubeConfig);
  if (!client) {
    client = makeObjectClient(kubeConfig);
    clients.set(kubeConfig, client);
  }
  return client;
}

function makeObjectClient(kubeConfig: k8s.KubeConfig): ObjectClient {
  const api = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const call = async <T>(work: () => Promise<unknown>): Promise<T> => {
    try {
      return (await work()) as T;
    } catch (err) {
      throw kubeApiError(err);
    }
  };
  return {
    get: (ref, name) => call(() => api.getNamespacedCustomObject({ ...ref, name })),
    list: async (ref, labelSelector) =>
      (
        await call<{ items: KubeObject[] }>(() =>
          api.listNamespacedCustomObject({ ...ref, labelSelector }),
        )
      ).items,
    create: (ref, body) => call(() => api.createNamespacedCustomObject({ ...ref, body })),
    mergePatch: (ref, name, body, opts = {}) => {
      const headers: Record<string, string> = { ...MERGE };
      if (opts.as) {
        const names = [opts.as.user, ...(opts.as.group ? [opts.as.group] : [])];
        const bad = names.find((n) => !isImpersonable(n));
        if (bad !== undefined)
          return Promise.reject(
            new KubeApiError(
              400,
              `cannot impersonate ${JSON.stringify(bad)}: not a valid header value`,
            ),
          );
        headers["Impersonate-User"] = opts.as.user;
        if (opts.as.group) headers["Impersonate-Group"] = opts.as.group;
      }
      const params = { ...ref, name, body };
      return call(() =>
        opts.status
          ? api.patchNamespacedCustomObjectStatus(params, options(headers))
          : api.patchNamespacedCustomObject(params, options(headers)),
      );
    },
  };
}

export const CUSTOM_RUNS: Omit<ObjectRef, "namespace"> = kindRef("CustomRun");
export const PIPELINE_RUNS: Omit<ObjectRef, "namespace"> = kindRef("PipelineRun");
export const APPROVAL_TASKS: Omit<ObjectRef, "namespace"> = kindRef("ApprovalTask");
export const KPACK_BUILDS: Omit<ObjectRef, "namespace"> = kindRef("Build");
export const KPACK_IMAGES: Omit<ObjectRef, "namespace"> = kindRef("Image");
export const ARGO_APPLICATIONS: Omit<ObjectRef, "namespace"> = kindRef("Application");
