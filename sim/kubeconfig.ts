// Writes a kubeconfig for the simulated clusters: one cluster and one context per environment, a token user.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

export interface KubeconfigOptions {
  /** context/cluster name → server URL, e.g. { staging: "https://127.0.0.1:6443/clusters/staging" }. */
  clusters: Record<string, string>;
  /** PEM of the CA that signed the server certificate (embedded as certificate-authority-data). */
  caPem: string;
  token: string;
  /** The kubeconfig user entry's name (default "shiplog"). */
  userName?: string;
  /** Default: the first cluster. */
  currentContext?: string;
  /** Namespace each context defaults to (default "default"). */
  namespace?: string;
}

export function buildKubeconfig(opts: KubeconfigOptions): string {
  const names = Object.keys(opts.clusters);
  if (names.length === 0) throw new Error("buildKubeconfig: at least one cluster is needed");
  const user = opts.userName ?? "shiplog";
  const caData = Buffer.from(opts.caPem).toString("base64");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: names.map((name) => ({
      name,
      cluster: { server: opts.clusters[name], "certificate-authority-data": caData },
    })),
    users: [{ name: user, user: { token: opts.token } }],
    contexts: names.map((name) => ({
      name,
      context: { cluster: name, user, namespace: opts.namespace ?? "default" },
    })),
    "current-context": opts.currentContext ?? names[0],
  };
  return stringify(config);
}

/** Writes the kubeconfig (mode 0600, like kubectl does) and returns its path. */
export async function writeKubeconfig(file: string, opts: KubeconfigOptions): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, buildKubeconfig(opts), { mode: 0o600 });
  return file;
}
