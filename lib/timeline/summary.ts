// A commit's overall status and per-stage statuses from its stages: the latest attempt of each
// stage counts, and the overall status is the worst of those. Pure; the store keeps commits current.
import type { Stage, Status } from "@/lib/sources/types";

export interface StageStatusInput {
  stage: Stage;
  status: Status;
  environment: string | null;
  startedAt: string | null;
  /**
   * Optional: what repeats as attempts within one stage (the kpack Image, the Pipeline, the Argo CD
   * Application, the Harbor repository). Two different builds of one commit are both current;
   * without it every row of a stage (and environment) is an attempt of the same thing.
   */
  group?: string | null;
}

export interface StageSummary {
  status: Status;
  stages: Record<string, Status>;
}

/**
 * Worst first. Failed and cancelled need someone to look; waiting needs someone to act (an
 * approval); running and pending are in flight; unknown means we cannot tell yet, which must not
 * read as success; skipped says nothing about the change.
 */
export const STATUS_SEVERITY: readonly Status[] = [
  "failed",
  "cancelled",
  "waiting",
  "running",
  "pending",
  "unknown",
  "succeeded",
  "skipped",
];

/** Stages that happen once per environment get their own column in the Releases strip. */
export const PER_ENVIRONMENT: ReadonlySet<Stage> = new Set(["deploy", "verify", "approval"]);

/** `build`, `deploy:production`: the key of the commits.stages map (and of CommitSummary.stages). */
export function stageKey(stage: Stage, environment: string | null): string {
  return PER_ENVIRONMENT.has(stage) && environment ? `${stage}:${environment}` : stage;
}

/** The worse of two statuses by STATUS_SEVERITY. */
export function worse(a: Status, b: Status): Status {
  return STATUS_SEVERITY.indexOf(a) <= STATUS_SEVERITY.indexOf(b) ? a : b;
}

/** The statuses still in flight: their times move, and a later change is still to come. */
export const IN_FLIGHT: readonly Status[] = ["pending", "running", "waiting"];

export function isInFlight(status: Status): boolean {
  return IN_FLIGHT.includes(status);
}

/**
 * How recent an attempt is. A start time orders it; without one, an attempt still in flight (a
 * re-run held as PipelineRunPending, an OutOfSync deploy) is the newest, and a finished one (a run
 * cancelled before it started) the oldest, so that it cannot hide a later attempt's outcome.
 */
export function recency(status: Status, startedAt: string | null): number {
  if (startedAt) {
    const t = Date.parse(startedAt);
    if (!Number.isNaN(t)) return t;
  }
  return isInFlight(status) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/**
 * Indexes of `items` in attempt order (oldest first) by `recency`; ties keep input order, so the
 * caller passes rows in creation order (id ascending) to make the later-created one newer.
 */
export function attemptOrder(items: { status: Status; startedAt: string | null }[]): number[] {
  return items
    .map((item, index) => ({ index, at: recency(item.status, item.startedAt) }))
    .sort((a, b) => (a.at === b.at ? a.index - b.index : a.at < b.at ? -1 : 1))
    .map((x) => x.index);
}

/**
 * The latest attempt per (stage, environment, group) counts: a build that failed and was rebuilt
 * successfully is succeeded. Each stage key gets the worst of its groups' latest attempts, and
 * the overall status is the worst stage status ("unknown" when there is no stage at all).
 */
export function summarizeStages(stages: StageStatusInput[]): StageSummary {
  const groups = new Map<string, StageStatusInput[]>();
  for (const s of stages) {
    const id = JSON.stringify([s.stage, s.environment ?? null, s.group ?? null]);
    const list = groups.get(id);
    if (list) list.push(s);
    else groups.set(id, [s]);
  }
  const byKey: Record<string, Status> = {};
  let overall: Status | null = null;
  for (const attempts of groups.values()) {
    const order = attemptOrder(attempts);
    const latest = attempts[order[order.length - 1]];
    const key = stageKey(latest.stage, latest.environment);
    byKey[key] = byKey[key] ? worse(byKey[key], latest.status) : latest.status;
    overall = overall ? worse(overall, latest.status) : latest.status;
  }
  return { status: overall ?? "unknown", stages: byKey };
}
