// Helpers for the simulator's integration tests: a fast simulator with its own kubeconfig, a
// webhook receiver on node:http, client-node clients per context, and waiting on the truth.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { startSimulator, type Simulator, type SimulatorOptions } from "./index";
import type { KubeObject } from "./kube";
import { waitFor } from "./kube/test-support";

export { waitFor };

export interface TestSimulator extends Simulator {
  kubeconfigPath: string;
  close(): Promise<void>;
}

/** A simulator on free ports, twenty-odd times faster than real time, quiet unless it errs. */
export async function startTestSimulator(opts: SimulatorOptions = {}): Promise<TestSimulator> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "shiplog-sim-"));
  const errors: string[] = [];
  const sim = await startSimulator({
    dir: path.resolve(".shiplog/sim-test"),
    kubeconfig: path.join(tmp, "kubeconfig"),
    timeScale: 0.03,
    logger: (e) => {
      if (e.level === "error") errors.push(`${e.msg} ${JSON.stringify(e)}`);
    },
    ...opts,
  });
  return {
    ...sim,
    kubeconfigPath: sim.kubeconfigPath!,
    close: async () => {
      await sim.close();
      await rm(tmp, { recursive: true, force: true });
      if (errors.length) throw new Error(`the simulator logged errors:\n${errors.join("\n")}`);
    },
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Shiplog's webhook endpoints as a plain node:http server that records every request. */
export async function startReceiver() {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export function clients(kubeconfig: string, context: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  return {
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    core: kc.makeApiClient(k8s.CoreV1Api),
  };
}

/** The object as the cluster holds it (throws a 404 KubeError when missing). */
export function objectIn(
  sim: Simulator,
  cluster: string,
  type: string,
  namespace: string,
  name: string,
): KubeObject {
  return sim.clusters[cluster].get(type, namespace, name);
}

/** status.conditions[type=Succeeded]. */
export function succeededCondition(o: KubeObject | undefined) {
  return ((o?.status as { conditions?: Array<Record<string, string>> })?.conditions ?? []).find(
    (c) => c.type === "Succeeded",
  );
}

/** The parts of an Argo CD Application's status the tests read. */
export interface AppStatus {
  sync: { status: string; revision: string };
  health: { status: string };
  summary: { images: string[] };
  history: Array<{ id: number; revision: string; initiatedBy?: unknown }>;
  operationState: {
    phase: string;
    operation: Record<string, unknown>;
    syncResult: { revision: string };
  };
}

export const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

/** The commit's entry in the ground truth once `check` accepts it. */
export function waitForCommit<T>(
  sim: Simulator,
  sha: string,
  check: (c: ReturnType<Simulator["truth"]>["commits"][number]) => T,
  what: string,
  timeoutMs = 15_000,
) {
  return waitFor(
    () => {
      const c = sim.truth().commits.find((x) => x.sha === sha);
      return c && check(c) ? c : undefined;
    },
    what,
    timeoutMs,
  );
}
