// The run-detail API's shapes (GET /api/v1/runs/{cluster}/{namespace}/{kind}/{name} and its
// logs), as the browser reads them, and the URLs of both.
import { RUN_KIND_OF_PATH, type RunKindPath } from "@/lib/runs/types";

export type { RunDetail, RunGroup, RunStep } from "@/lib/runs/types";

export const RUN_KIND_PATHS = Object.keys(RUN_KIND_OF_PATH) as RunKindPath[];

export interface RunPath {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
}

const path = (run: RunPath) =>
  `/api/v1/runs/${[run.cluster, run.namespace, run.kind, run.name].map(encodeURIComponent).join("/")}`;

export function runUrl(run: RunPath): string {
  return path(run);
}

export function runLogUrl(run: RunPath, group: string, step: string): string {
  return `${path(run)}/logs?${new URLSearchParams({ group, step }).toString()}`;
}
