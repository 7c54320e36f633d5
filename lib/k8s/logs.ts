// Container logs (pods/log) and a pod's container states, read through the Kubernetes API of one
// cluster context. A pod that no longer exists is "gone" — the normal end of a pruned run, not an error.
import * as k8s from "@kubernetes/client-node";
import { configuredClusters } from "./clusters";
import { kubeApiError } from "./errors";

export type LogRead =
  | { state: "ok"; text: string; truncated: boolean }
  | { state: "gone" }
  /** The API refused the container: not started yet, or no such container in the pod. */
  | { state: "unavailable"; message: string };

export type PodContainer = { name: string; state: unknown };
/** One cluster context's connection settings. */
export type ClusterConfig = k8s.KubeConfig;

const apis = new WeakMap<k8s.KubeConfig, k8s.CoreV1Api>();
function core(kubeConfig: k8s.KubeConfig): k8s.CoreV1Api {
  let api = apis.get(kubeConfig);
  if (!api) {
    api = kubeConfig.makeApiClient(k8s.CoreV1Api);
    apis.set(kubeConfig, api);
  }
  return api;
}

/**
 * The last `tailLines` lines of the text, at most `maxBytes` of it (cut at a line start), and
 * whether anything before them was left out.
 */
export function tailOf(
  text: string,
  tailLines: number,
  maxBytes: number,
): { text: string; truncated: boolean } {
  let truncated = false;
  const lines = text.split("\n");
  const trailing = text.endsWith("\n");
  if (trailing) lines.pop();
  if (lines.length > tailLines) {
    lines.splice(0, lines.length - tailLines);
    truncated = true;
  }
  let out = lines.join("\n") + (trailing && lines.length > 0 ? "\n" : "");
  const bytes = Buffer.from(out, "utf8");
  if (bytes.length > maxBytes) {
    let cut = bytes.subarray(bytes.length - maxBytes);
    const newline = cut.indexOf(0x0a);
    if (newline >= 0 && newline < cut.length - 1) cut = cut.subarray(newline + 1);
    // Inside a long line: start at a character, not in the middle of one (UTF-8 continuation bytes).
    let start = 0;
    while (start < cut.length && (cut[start] & 0xc0) === 0x80) start++;
    cut = cut.subarray(start);
    out = cut.toString("utf8");
    truncated = true;
  }
  return { text: out, truncated };
}

/**
 * A container's log tail. One more line than wanted is asked for, so a log longer than the tail
 * is known to be truncated; the byte limit is applied to the end of the text here, because the
 * API's `limitBytes` keeps the start of what it sends (bounded at four times the limit).
 */
export async function readContainerLog(
  kubeConfig: k8s.KubeConfig,
  target: { namespace: string; pod: string; container: string },
  limits: { tailLines: number; maxBytes: number },
): Promise<LogRead> {
  const fetchBytes = limits.maxBytes * 4;
  let raw: string;
  try {
    raw = await core(kubeConfig).readNamespacedPodLog({
      name: target.pod,
      namespace: target.namespace,
      container: target.container,
      tailLines: limits.tailLines + 1,
      limitBytes: fetchBytes,
    });
  } catch (err) {
    const failure = kubeApiError(err);
    if (failure.code === 404) return { state: "gone" };
    if (failure.code === 400) return { state: "unavailable", message: failure.message };
    throw err;
  }
  const text = typeof raw === "string" ? raw : String(raw ?? "");
  const tail = tailOf(text, limits.tailLines, limits.maxBytes);
  const cutByServer = Buffer.byteLength(text, "utf8") >= fetchBytes;
  return { state: "ok", text: tail.text, truncated: tail.truncated || cutByServer };
}

/** The pod's containers, init containers first, each with its current state; "gone" on 404. */
export async function readPodContainers(
  kubeConfig: k8s.KubeConfig,
  namespace: string,
  pod: string,
): Promise<PodContainer[] | "gone"> {
  let object: k8s.V1Pod;
  try {
    object = await core(kubeConfig).readNamespacedPod({ name: pod, namespace });
  } catch (err) {
    if (kubeApiError(err).code === 404) return "gone";
    throw err;
  }
  const statuses = [
    ...(object.status?.initContainerStatuses ?? []),
    ...(object.status?.containerStatuses ?? []),
  ];
  const names = [
    ...(object.spec?.initContainers ?? []).map((c) => c.name),
    ...(object.spec?.containers ?? []).map((c) => c.name),
  ];
  return names.map((name) => ({
    name,
    state: statuses.find((s) => s.name === name)?.state ?? {},
  }));
}

/**
 * The kubeconfig of a cluster context this process was configured for, or null: every replica
 * serves logs, not only the one that watches.
 */
export function clusterConfig(cluster: string): k8s.KubeConfig | null {
  return configuredClusters().get(cluster)?.kubeConfig ?? null;
}
