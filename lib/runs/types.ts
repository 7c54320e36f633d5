// The run detail's shapes: what assembly reads (stored rows and objects) and what the run-detail
// endpoint returns (RunDetail: a PipelineRun's TaskRuns or a kpack Build's pod, with their steps).
import type { Status } from "@/lib/sources/types";

export const RUN_KIND_OF_PATH = { pipelineruns: "PipelineRun", builds: "Build" } as const;
export type RunKindPath = keyof typeof RUN_KIND_OF_PATH;
export type RunKind = (typeof RUN_KIND_OF_PATH)[RunKindPath];

/** Where a step's log can be read now: its pod, the tail kept in Postgres, or nowhere. */
export type LogSource = "pod" | "stored" | "none";

export interface RunStep {
  name: string;
  container: string;
  status: Status;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  reason: string | null;
  log: LogSource;
}

export interface RunGroup {
  name: string;
  title: string;
  status: Status;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  podName: string | null;
  steps: RunStep[];
}

export interface RunDetail {
  system: "tekton" | "kpack";
  kind: RunKind;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  app: string | null;
  sha: string | null;
  title: string;
  status: Status;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  live: boolean;
  groups: RunGroup[];
}

/** A stored PipelineRun, TaskRun or Build: the `resources` columns assembly reads. */
export interface RunRow {
  kind: string;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  deletedAt: Date | null;
  /** The latest Kubernetes object Shiplog saw. */
  object: unknown;
  /** The normalized Observation the store kept. */
  observation: unknown;
}

/** A `step_logs` row without its text: which containers have a kept tail. */
export interface StoredLogRef {
  pod: string;
  container: string;
  step: string;
}

export interface RunInput {
  run: RunRow;
  /** A PipelineRun's TaskRuns (empty for a Build). */
  children: RunRow[];
  commit: { app: string; sha: string } | null;
  storedLogs: StoredLogRef[];
}
