// What an approver needs beside a gate, gathered from the commit's timeline: the image (digest)
// and its scan, the pipeline that waits at the gate with its tasks so far, and the manifests
// revision the environment's deploy follows. Pure: stages in, plain values out.
import type { ScanCounts } from "@/lib/sources/types";
import type { PipelineTask, TimelineStage } from "@/lib/timeline/types";

export type GateContext = {
  image: { repository: string | null; digest: string } | null;
  scan: {
    status: TimelineStage["status"];
    scanner: string | null;
    severity: string | null;
    counts: ScanCounts | null;
  } | null;
  pipeline: { title: string; name: string | null; tasks: PipelineTask[] } | null;
  /** The manifests revision deployed to the gate's environment for this commit, once written. */
  manifestsRevision: string | null;
};

type D = Record<string, unknown>;
const details = (s: TimelineStage) => (s.details ?? {}) as D;
const str = (d: D, k: string) => (typeof d[k] === "string" ? (d[k] as string) : null);

/** The newest current attempt of a stage kind, optionally in one environment. */
function newest(
  stages: TimelineStage[],
  kind: TimelineStage["stage"],
  environment?: string | null,
): TimelineStage | null {
  const found = stages.filter(
    (s) =>
      s.stage === kind && s.latest && (environment === undefined || s.environment === environment),
  );
  return found.at(-1) ?? null;
}

function imageOf(stages: TimelineStage[]): GateContext["image"] {
  const image = newest(stages, "image");
  if (image && str(details(image), "digest"))
    return {
      repository: str(details(image), "repository"),
      digest: str(details(image), "digest")!,
    };
  const build = newest(stages, "build");
  const digest = build ? str(details(build), "digest") : null;
  return digest && build ? { repository: str(details(build), "image"), digest } : null;
}

/** The PipelineRun the gate belongs to: one whose tasks ran its CustomRun, else the environment's. */
function pipelineOf(stages: TimelineStage[], approval: TimelineStage): TimelineStage | null {
  const customRun = str(details(approval), "customRun");
  const pipelines = stages.filter((s) => s.stage === "pipeline");
  const owner = customRun
    ? pipelines.find((p) =>
        ((details(p).tasks ?? []) as PipelineTask[]).some((t) => t.runName === customRun),
      )
    : undefined;
  return owner ?? newest(stages, "pipeline", approval.environment) ?? newest(stages, "pipeline");
}

export function gateContext(stages: TimelineStage[], approval: TimelineStage): GateContext {
  const scan = newest(stages, "scan");
  const pipeline = pipelineOf(stages, approval);
  const deploy = approval.environment ? newest(stages, "deploy", approval.environment) : null;
  return {
    image: imageOf(stages),
    scan: scan
      ? {
          status: scan.status,
          scanner: str(details(scan), "scanner"),
          severity: str(details(scan), "severity"),
          counts: (details(scan).counts as ScanCounts | null | undefined) ?? null,
        }
      : null,
    pipeline: pipeline
      ? {
          title: pipeline.title,
          name: str(details(pipeline), "pipeline"),
          tasks: Array.isArray(details(pipeline).tasks)
            ? (details(pipeline).tasks as PipelineTask[])
            : [],
        }
      : null,
    manifestsRevision: deploy ? str(details(deploy), "revision") : null,
  };
}
