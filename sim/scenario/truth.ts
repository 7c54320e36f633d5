// The ground truth served at GET /_sim/truth: per commit, what the simulator made of it — builds,
// artifacts and scans, PipelineRuns, gates and deploys — with statuses read from the live objects.
import type { SimContext } from "../controllers/context";
import { getOrUndefined } from "../controllers/queue";
import { succeeded } from "../controllers/tekton-util";
import type { KubeObject } from "../kube";
import type { CommitFact } from "./ledger";

export type RunStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled";

export interface CommitTruth {
  app: string;
  sha: string;
  repoUrl: string;
  author: string;
  title: string;
  committedAt: string;
  /** The commit that was already deployed when the simulator started. */
  bootstrap: boolean;
  builds: Array<{
    cluster: string;
    namespace: string;
    name: string;
    status: RunStatus;
    digest: string | null;
    reason: string;
  }>;
  artifacts: Array<{
    repository: string;
    digest: string;
    tags: string[];
    scan: { status: string; severity: string | null; counts: Record<string, number> | null };
  }>;
  pipelineRuns: Array<{
    cluster: string;
    namespace: string;
    name: string;
    environment: string;
    status: RunStatus;
    reason: string | null;
    stage: "pipeline" | "verify";
  }>;
  gates: Array<{
    cluster: string;
    namespace: string;
    name: string;
    environment: string;
    kind: string;
    status: string;
    pipelineRun: string;
  }>;
  deploys: Array<{
    cluster: string;
    application: string;
    environment: string;
    revision: string;
    status: string;
    health: string | null;
  }>;
}

export interface Truth {
  seed: number;
  generatedAt: string;
  manifestsRepo: string;
  apps: Array<{ name: string; repoUrl: string; gate: string }>;
  commits: CommitTruth[];
}

export function runStatus(obj: KubeObject | undefined): RunStatus {
  const c = succeeded(obj);
  if (!c) return "pending";
  if (c.status === "True") return "succeeded";
  if (c.status === "False") return /Cancel/.test(c.reason ?? "") ? "cancelled" : "failed";
  return c.reason === "PipelineRunPending" ? "pending" : "running";
}

function gateStatus(obj: KubeObject | undefined): string {
  const c = succeeded(obj);
  if (!c || c.status === "Unknown") return "pending";
  if (c.status === "True") return "approved";
  if (/Cancel/.test(c.reason ?? "")) return "cancelled";
  if (/TimedOut|timeout/i.test(`${c.reason} ${c.message}`)) return "expired";
  return "rejected";
}

const SCAN_STATUS: Record<string, string> = {
  Pending: "pending",
  Running: "running",
  Success: "succeeded",
  Error: "failed",
  Stopped: "cancelled",
};

export function groundTruth(ctx: SimContext): Truth {
  return {
    seed: ctx.config.seed,
    generatedAt: ctx.now().toISOString(),
    manifestsRepo: ctx.config.manifestsRepo,
    apps: ctx.config.apps.map((a) => ({ name: a.name, repoUrl: a.repoUrl, gate: a.gate })),
    commits: ctx.ledger.commits.map((c) => commitTruth(ctx, c)),
  };
}

function commitTruth(ctx: SimContext, c: CommitFact): CommitTruth {
  const { ledger, clusters, harbor, config } = ctx;
  // The object as it is, or as it was when a history limit deleted it.
  const live = (cluster: string, type: string, ns: string, name: string) =>
    getOrUndefined(clusters[cluster], type, ns, name) ?? ledger.forgotten(cluster, type, ns, name);
  const builds = ledger.builds.filter((b) => b.app === c.app && b.sha === c.sha);
  const digests = new Set(builds.map((b) => b.digest));
  const artifacts: CommitTruth["artifacts"] = [];
  for (const b of builds) {
    try {
      const a = harbor.getArtifact({
        project: config.harborProject,
        repository: c.app,
        digest: b.digest,
      });
      const scan = Object.values(a.scan_overview ?? {})[0];
      const counts = scan?.summary?.summary;
      artifacts.push({
        repository: a.repository_name,
        digest: a.digest,
        tags: (a.tags ?? []).map((t) => t.name),
        scan: {
          status: SCAN_STATUS[scan?.scan_status ?? ""] ?? "pending",
          severity: scan?.severity ?? null,
          counts: counts
            ? {
                critical: counts.Critical ?? 0,
                high: counts.High ?? 0,
                medium: counts.Medium ?? 0,
                low: counts.Low ?? 0,
                unknown: counts.Unknown ?? 0,
              }
            : null,
        },
      });
    } catch {
      // not pushed (yet, or the build failed)
    }
  }
  return {
    app: c.app,
    sha: c.sha,
    repoUrl: c.repoUrl,
    author: c.author,
    title: c.title,
    committedAt: c.committedAt,
    bootstrap: c.n === 0,
    builds: builds.map((b) => {
      const obj = live(b.cluster, "builds.kpack.io", b.namespace, b.name);
      const latest = (obj?.status as { latestImage?: string } | undefined)?.latestImage;
      return {
        cluster: b.cluster,
        namespace: b.namespace,
        name: b.name,
        status: runStatus(obj),
        digest: latest ? (latest.split("@")[1] ?? null) : null,
        reason: b.reason,
      };
    }),
    artifacts,
    pipelineRuns: ledger.pipelineRuns
      .filter((p) => p.app === c.app && digests.has(p.digest))
      .map((p) => {
        const obj = live(p.cluster, "pipelineruns.tekton.dev", p.namespace, p.name);
        return {
          cluster: p.cluster,
          namespace: p.namespace,
          name: p.name,
          environment: p.environment,
          status: runStatus(obj),
          reason: succeeded(obj)?.reason ?? null,
          stage: p.stage,
        };
      }),
    gates: ledger.gates
      .filter((g) => g.app === c.app && digests.has(g.digest))
      .map((g) => ({
        cluster: g.cluster,
        namespace: g.namespace,
        name: g.name,
        environment: g.environment,
        kind: g.kind,
        status: gateStatus(live(g.cluster, "customruns.tekton.dev", g.namespace, g.name)),
        pipelineRun: g.pipelineRun,
      })),
    deploys: [...ledger.deploys.values()]
      .filter((d) => d.app === c.app && d.digest !== null && digests.has(d.digest))
      .map((d) => ({
        cluster: d.cluster,
        application: d.application,
        environment: d.environment,
        revision: d.revision,
        status: d.status,
        health: d.health,
      })),
  };
}
