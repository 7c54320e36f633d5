// Helpers for the simulator's integration tests: start an API with a kubeconfig, raw HTTPS requests, waiting.
import https from "node:https";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type KubeApi, type KubeApiOptions, createKubeApi } from "./index";

export interface TestSim {
  api: KubeApi;
  kubeconfig: string;
  tmp: string;
  close(): Promise<void>;
}

/** Starts the API on a free port; certificates and the CRD cache are shared under .shiplog/sim-test. */
export async function startTestSim(opts: KubeApiOptions = {}): Promise<TestSim> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "shiplog-kube-"));
  const api = await createKubeApi({ dir: path.resolve(".shiplog/sim-test"), ...opts });
  const kubeconfig = await api.writeKubeconfig(path.join(tmp, "kubeconfig"));
  return {
    api,
    kubeconfig,
    tmp,
    close: async () => {
      await api.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One HTTPS request against the simulator, trusting its CA; `path` includes the cluster prefix. */
export function raw(
  api: KubeApi,
  method: string,
  urlPath: string,
  opts: {
    body?: unknown;
    contentType?: string;
    headers?: Record<string, string | string[]>;
    token?: string | null;
  } = {},
): Promise<RawResponse> {
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === "string"
        ? opts.body
        : JSON.stringify(opts.body);
  const headers: Record<string, string | string[]> = { ...opts.headers };
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? api.token}`;
  if (body !== undefined) headers["Content-Type"] = opts.contentType ?? "application/json";
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${api.url}${urlPath}`,
      { method, headers, ca: api.certs.caPem },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
