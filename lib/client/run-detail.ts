// The run-detail API's shapes (GET /api/v1/runs/{cluster}/{namespace}/{kind}/{name} and its
// logs), as the browser reads them, and the URLs of both.
import { RUN_KINDS as KIND_PATHS, type RunKindPath } from "@/lib/runs/types";

export type { RunDetail, RunGroup, RunStep } from "@/lib/runs/types";

export const RUN_KINDS = Object.keys(KIND_PATHS) as RunKindPath[];
export type RunKind = RunKindPath;

export interface RunRef {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
}

const path = (run: RunRef) =>
  `/api/v1/runs/${[run.cluster, run.namespace, run.kind, run.name].map(encodeURIComponent).join("/")}`;

export function runUrl(run: RunRef): string {
  return path(run);
}

export function runLogUrl(run: RunRef, group: string, step: string): string {
  return `${path(run)}/logs?${new URLSearchParams({ group, step }).toString()}`;
}
