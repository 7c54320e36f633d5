// One commit's timeline from its stored rows: stages with attempts, durations, links and deep
// links, ordered by start, and the overall status. Pure: `now` measures what is still running.
import { STAGES } from "@/lib/sources/types";
import type { Draft } from "./draft";
import { artifactDrafts, sourceDraft } from "./harbor-stages";
import { resourceDrafts } from "./resource-stages";
import { attemptOrder, isInFlight, summarizeStages, type StageSummary } from "./summary";
import type {
  ArtifactRow,
  CommitTimeline,
  LinkBases,
  LinkRow,
  ResourceRow,
  TimelineInput,
  TimelineStage,
} from "./types";

type Timed = Pick<TimelineStage, "status" | "startedAt" | "finishedAt">;

/** A stage that started and is still in flight: its duration grows with the clock. */
function onTheClock(s: Timed): boolean {
  return s.startedAt !== null && s.finishedAt === null && isInFlight(s.status);
}

/** Stages still in flight are measured up to `now`. */
function durationMs(d: Draft, now: Date): number | null {
  if (!d.startedAt) return null;
  const start = Date.parse(d.startedAt);
  if (d.finishedAt) return Math.max(0, Date.parse(d.finishedAt) - start);
  if (onTheClock(d)) return Math.max(0, now.getTime() - start);
  return null;
}

/**
 * Whether a timeline reads the same at any later time: no stage is measured up to `now`. Only
 * such timelines are stored (lib/db/timeline.ts); the others are assembled on every read.
 */
export function isSettled(timeline: CommitTimeline): boolean {
  return !timeline.stages.some(onTheClock);
}

function attemptGroupKey(d: Draft): string {
  return JSON.stringify([d.stage, d.environment, d.group]);
}

/** Attempt numbers per (stage, environment, group), in the same order summary.ts reads "latest". */
function numberAttempts(drafts: Draft[], now: Date): TimelineStage[] {
  const groups = new Map<string, Draft[]>();
  for (const d of [...drafts].sort((a, b) => a.seq - b.seq)) {
    const key = attemptGroupKey(d);
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  const out: TimelineStage[] = [];
  for (const list of groups.values()) {
    const order = attemptOrder(list);
    order.forEach((index, position) => {
      const d = list[index];
      // The API's documented field order first, then the additions.
      out.push({
        id: d.id,
        stage: d.stage,
        status: d.status,
        title: d.title,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt,
        durationMs: durationMs(d, now),
        environment: d.environment,
        cluster: d.cluster,
        resource: d.resource,
        url: d.url,
        linkedBy: d.linkedBy,
        details: d.details,
        reason: d.reason,
        message: d.message,
        attempt: position + 1,
        attempts: list.length,
        latest: position === order.length - 1,
        rerunOf: d.rerunOf,
        deleted: d.deleted,
      });
    });
  }
  return out;
}

const stageRank = (s: TimelineStage) => STAGES.indexOf(s.stage);

/** startedAt ascending, nulls last; ties by the chain's order, then by attempt. */
function byStart(a: TimelineStage, b: TimelineStage): number {
  if (a.startedAt !== b.startedAt) {
    if (a.startedAt === null) return 1;
    if (b.startedAt === null) return -1;
    return (
      Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.startedAt < b.startedAt ? -1 : 1)
    );
  }
  return stageRank(a) - stageRank(b) || a.attempt - b.attempt || (a.id < b.id ? -1 : 1);
}

/** The source stage is always succeeded; leaving it out keeps this equal to summarizeRows. */
function summarizeDrafts(drafts: Draft[]): StageSummary {
  return summarizeStages(
    drafts
      .filter((d) => d.stage !== "source")
      .sort((a, b) => a.seq - b.seq)
      .map((d) => ({
        stage: d.stage,
        status: d.status,
        environment: d.environment,
        startedAt: d.startedAt,
        group: d.group,
      })),
  );
}

/**
 * commits.status and commits.stages from a commit's rows, read exactly as its timeline reads them
 * (approval twins merged, TaskRuns left out, image and scan from artifacts): for the store.
 */
export function summarizeRows(resources: ResourceRow[], artifacts: ArtifactRow[]): StageSummary {
  const none = () => undefined;
  return summarizeDrafts([
    ...resourceDrafts(resources, none, {}, ""),
    ...artifacts.flatMap((a) => artifactDrafts(a, none, {})),
  ]);
}

function linkLookup(links: LinkRow[]) {
  const map = new Map<string, LinkRow>();
  for (const l of links) map.set(`${l.toType}:${l.toId}`, l);
  return (toType: "resource" | "artifact", toId: bigint) => map.get(`${toType}:${toId}`);
}

export function assembleTimeline(
  input: TimelineInput,
  now: Date,
  bases: LinkBases = {},
): CommitTimeline {
  const { commit, app } = input;
  const link = linkLookup(input.links);
  const source = sourceDraft(commit, app, bases);
  const drafts: Draft[] = [
    ...(source ? [source] : []),
    ...resourceDrafts(input.resources, link, bases, commit.sha, input.gates),
    ...input.artifacts.flatMap((a) => artifactDrafts(a, link, bases)),
  ];
  const stages = numberAttempts(drafts, now).sort(byStart);
  const summary = summarizeDrafts(drafts);
  return {
    app: app.name,
    repoUrl: app.repoUrl,
    sha: commit.sha,
    shortSha: commit.sha.slice(0, 7),
    branch: commit.branch,
    author: commit.author,
    message: commit.message,
    committedAt: commit.committedAt ? commit.committedAt.toISOString() : null,
    url: source?.url ?? commit.url,
    status: summary.status,
    stageStatuses: summary.stages,
    stages,
  };
}
