// The Releases stage strip's columns, in pipeline order: build · image · scan · pipeline, then per
// environment (in configured order) approval · deploy · verify. Pure.
import type { Stage } from "@/lib/sources/types";

export interface StageColumn {
  /** The key of CommitSummary.stages: `build`, `deploy:production`. */
  key: string;
  stage: Stage;
  environment: string | null;
  /** What the column says: `build`, `deploy production`. */
  label: string;
}

const SHARED: Stage[] = ["build", "image", "scan", "pipeline"];
const PER_ENV: Stage[] = ["approval", "deploy", "verify"];
const ORDER: Stage[] = [...SHARED, ...PER_ENV];

function parseKey(key: string): { stage: Stage; environment: string | null } | null {
  const [stage, environment] = key.split(":", 2) as [Stage, string | undefined];
  if (!ORDER.includes(stage)) return null;
  return { stage, environment: environment ?? null };
}

/**
 * The columns for these commits: the four shared stages always; per-environment stages for the
 * environments given (deploy and verify always, approval only when some commit has one) and for
 * any other environment a commit names.
 */
export function stageColumns(
  environments: string[],
  stageMaps: Record<string, string>[],
): StageColumn[] {
  const seen = new Set(stageMaps.flatMap((m) => Object.keys(m)));
  const envs = [...environments];
  for (const key of seen) {
    const parsed = parseKey(key);
    if (parsed?.environment && !envs.includes(parsed.environment)) envs.push(parsed.environment);
  }
  const columns: StageColumn[] = SHARED.map((stage) => ({
    key: stage,
    stage,
    environment: null,
    label: stage,
  }));
  for (const stage of PER_ENV) {
    if (seen.has(stage)) columns.push({ key: stage, stage, environment: null, label: stage });
  }
  for (const environment of envs) {
    for (const stage of PER_ENV) {
      const key = `${stage}:${environment}`;
      if (stage === "approval" && !seen.has(key)) continue;
      columns.push({ key, stage, environment, label: `${stage} ${environment}` });
    }
  }
  return columns;
}
