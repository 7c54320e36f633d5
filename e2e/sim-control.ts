// A plain-HTTP door into the simulator the e2e run plays, for the tests (another process): its
// ground truth, and a new commit on demand. Started by scripts/e2e.ts, found through E2E_SIM_URL.
import http from "node:http";
import { NO_FAILURES, type CommitTruth, type Simulator, type Truth } from "../sim";

export interface SimControl {
  url: string;
  close(): Promise<void>;
}

export function startSimControl(sim: Simulator): Promise<SimControl> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    try {
      if (req.method === "GET" && url.pathname === "/truth") return send(200, sim.truth());
      if (req.method === "POST" && url.pathname === "/commit") {
        const app = url.searchParams.get("app");
        if (!app || !sim.config.apps.some((a) => a.name === app)) {
          return send(400, { error: `app must be one of ${sim.config.apps.map((a) => a.name)}` });
        }
        // After the scenario's own commits, so that this one is its app's newest: kpack builds an
        // Image's newest commit and Argo CD syncs the newest manifests, passing older ones by.
        if (sim.config.onlyCommits !== null) await sim.player.done;
        // humanGates=1: its approval gates wait for people; clean=1: nothing fails on its way.
        const commit = sim.commit(app, {
          humanGates: url.searchParams.get("humanGates") === "1",
          ...(url.searchParams.get("clean") === "1" ? { rates: NO_FAILURES } : {}),
        });
        return send(200, { app, sha: commit.sha, title: commit.title });
      }
      send(404, { error: "GET /truth, POST /commit?app=NAME[&humanGates=1][&clean=1]" });
    } catch (error) {
      send(500, { error: String(error) });
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}

/** For the tests: the simulator's ground truth and a new commit, through E2E_SIM_URL. */
export function simUrl(): string {
  const url = process.env.E2E_SIM_URL;
  if (!url) throw new Error("E2E_SIM_URL is not set: run the e2e tests with npm run test:e2e");
  return url;
}

/**
 * The kubeconfig the tests reach the simulated clusters with: its own token, so that what
 * Shiplog's token asked is Shiplog's alone (scripts/e2e.ts checks it against the ClusterRole).
 */
export function testsKubeconfig(): string {
  const file = process.env.E2E_KUBECONFIG;
  if (!file) throw new Error("E2E_KUBECONFIG is not set: run the e2e tests with npm run test:e2e");
  return file;
}

export async function simTruth(): Promise<Truth> {
  return (await (await fetch(`${simUrl()}/truth`)).json()) as Truth;
}

export interface SimCommitOptions {
  /** Its approval gates wait for people, though the e2e simulator decides the others. */
  humanGates?: boolean;
  /** No failure on its way (build, E2E, sync, health), so it gets as far as its gates. */
  clean?: boolean;
}

export async function simCommit(
  app: string,
  options: SimCommitOptions = {},
): Promise<{ app: string; sha: string; title: string }> {
  const query = new URLSearchParams({ app });
  if (options.humanGates) query.set("humanGates", "1");
  if (options.clean) query.set("clean", "1");
  const response = await fetch(`${simUrl()}/commit?${query}`, { method: "POST" });
  if (!response.ok) throw new Error(`simulator commit: ${await response.text()}`);
  return (await response.json()) as { app: string; sha: string; title: string };
}

/** Polls the ground truth until `pick` finds something, or fails after `timeoutMs`. */
export async function waitForTruth<T>(
  pick: (commits: CommitTruth[]) => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = pick((await simTruth()).commits);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("the simulator did not get there in time");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
