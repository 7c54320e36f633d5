// The simulator's ground truth and Shiplog's timeline of a commit, both written as one line per
// stage (kind, resource, outcome, environment), so that a test can compare them as text.
import type { CommitTruth } from "@/sim";
import type { CommitTimeline } from "@/lib/timeline/types";

const FINAL = new Set(["succeeded", "failed", "cancelled", "approved", "rejected", "expired"]);

/** Nothing of the commit is still running or waiting in the simulator. */
export function settled(commit: CommitTruth): boolean {
  return (
    commit.builds.every((b) => FINAL.has(b.status)) &&
    commit.pipelineRuns.every((p) => FINAL.has(p.status)) &&
    commit.gates.every((g) => FINAL.has(g.status)) &&
    commit.deploys.every((d) => FINAL.has(d.status)) &&
    commit.artifacts.every((a) => a.scan.status !== "running")
  );
}

/** Severity counts in one fixed order, so two sources compare as text. */
function counts(value: unknown): string {
  if (!value || typeof value !== "object") return "none";
  const c = value as Record<string, number>;
  return ["critical", "high", "medium", "low", "unknown"].map((k) => `${k}=${c[k]}`).join(",");
}

const GATE_STATUS: Record<string, string> = {
  pending: "waiting",
  approved: "succeeded",
  rejected: "failed",
  expired: "failed",
  cancelled: "cancelled",
};

/**
 * Which deploys to compare: all, none, or those a predicate keeps. Shiplog ties a deploy to the
 * commit whose promote run wrote the synced manifests revision; staging syncs the branch head,
 * which another app's promotion may have written, so a test may keep only the deploys of a
 * revision written for the same app and environment.
 */
export type DeployFilter =
  | boolean
  | ((deploy: { application: string; environment: string | null; revision: string }) => boolean);

const keeps = (filter: DeployFilter, deploy: Parameters<Exclude<DeployFilter, boolean>>[0]) =>
  typeof filter === "boolean" ? filter : filter(deploy);

/** What the truth says the commit's timeline shows, one line per stage, sorted. */
export function expectedStages(commit: CommitTruth, options: { deploys: DeployFilter }): string[] {
  return [
    ...commit.builds.map((b) => `build ${b.name} ${b.status} ${b.digest ?? "-"}`),
    ...commit.artifacts.map((a) => `image ${a.digest}`),
    ...commit.artifacts
      .filter((a) => a.scan.status !== "pending")
      .map((a) => `scan ${a.digest} ${a.scan.status} ${counts(a.scan.counts)}`),
    ...commit.pipelineRuns.map((p) => `${p.stage} ${p.name} ${p.status} ${p.environment}`),
    ...commit.gates.map(
      (g) => `approval ${g.name} ${GATE_STATUS[g.status] ?? g.status} ${g.environment}`,
    ),
    ...commit.deploys
      .filter((d) => keeps(options.deploys, d))
      .map((d) => `deploy ${d.application} ${d.status} ${d.environment} ${d.revision}`),
  ].sort();
}

/** The same lines from a timeline Shiplog assembled (the source stage left out). */
export function shownStages(
  timeline: CommitTimeline,
  options: { deploys: DeployFilter },
): string[] {
  const deployOf = (s: CommitTimeline["stages"][number]) => {
    const d = s.details as { application?: string; revision?: string | null };
    return {
      application: d.application ?? "",
      environment: s.environment,
      revision: d.revision ?? "",
    };
  };
  return timeline.stages
    .filter(
      (s) => s.stage !== "source" && (s.stage !== "deploy" || keeps(options.deploys, deployOf(s))),
    )
    .map((s) => {
      const d = s.details as Record<string, unknown>;
      switch (s.stage) {
        case "build":
          return `build ${s.resource?.name} ${s.status} ${d.digest ?? "-"}`;
        case "image":
          return `image ${d.digest}`;
        case "scan":
          return `scan ${s.resource?.name.split("@")[1]} ${s.status} ${counts(d.counts)}`;
        case "approval":
          return `approval ${s.resource?.name} ${s.status} ${s.environment}`;
        case "deploy":
          return `deploy ${d.application} ${s.status} ${s.environment} ${d.revision}`;
        default:
          return `${s.stage} ${s.resource?.name} ${s.status} ${s.environment}`;
      }
    })
    .sort();
}
