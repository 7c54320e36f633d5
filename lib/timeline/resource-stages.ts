// Kubernetes rows as stages: kpack Builds, PipelineRuns (with their tasks), approval gates and
// Argo CD deploys. TaskRuns, plain CustomRuns and kpack Images are context, not stages.
import type {
  BuildDetails,
  DeployDetails,
  DeployHistoryEntry,
  Observation,
} from "@/lib/sources/types";
import { approvalDraft, groupApprovals, pendingStartDraft } from "./approval-stage";
import {
  asObservation,
  environmentOf,
  objectLabel,
  resourceBase,
  type Draft,
  type LinkLookup,
} from "./draft";
import { indexChildren, pipelineDraft } from "./pipeline-stage";
import type { GateRow, LinkBases, ResourceRow } from "./types";
import { argocdUrl } from "./urls";

type Kind = "build" | "pipeline" | "approval" | "deploy" | "context";

/**
 * What a row is on the timeline. Approvals are recognised by their details (a CustomRun may be
 * an approval or a plain custom task); a TaskRun is a task of its PipelineRun, never a stage.
 */
export function classify(row: { kind: string; stage: string | null }, o: Observation): Kind {
  if (o.details.type === "approval") return "approval";
  if (row.stage === null) return "context";
  if (row.kind === "Build" && o.details.type === "build") return "build";
  if (row.kind === "PipelineRun" && o.details.type === "pipeline") return "pipeline";
  if (row.kind === "Application" && o.details.type === "deploy") return "deploy";
  return "context";
}

function buildDraft(row: ResourceRow, o: Observation, link: LinkLookup, sha: string): Draft {
  const d = o.details as BuildDetails;
  // The kpack Image a Build belongs to: its rebuilds are attempts of one build.
  const image = objectLabel(row.object, "image.kpack.io/image") ?? o.appHints[0] ?? row.name;
  return {
    ...resourceBase(row, o, link("resource", row.id), sha),
    stage: "build",
    title: d.buildNumber !== null ? `Build #${d.buildNumber} of ${image}` : `Build ${row.name}`,
    environment: environmentOf("build", row, o),
    url: null, // kpack has no UI of its own
    details: {
      image: d.image,
      digest: d.digest,
      buildNumber: d.buildNumber,
      reason: d.reason,
      tags: d.tags,
    },
    group: image,
  };
}

function deployDraft(
  row: ResourceRow,
  o: Observation,
  link: LinkLookup,
  bases: LinkBases,
  sha: string,
): Draft {
  const d = o.details as DeployDetails;
  const environment = environmentOf("deploy", row, o);
  return {
    ...resourceBase(row, o, link("resource", row.id), sha),
    stage: "deploy",
    title: environment ? `Deploy ${d.application} to ${environment}` : `Deploy ${d.application}`,
    environment,
    url: argocdUrl(bases, row.namespace, row.name),
    details: {
      application: d.application,
      revision: d.revision,
      syncStatus: d.syncStatus,
      health: d.health,
      images: d.images,
      revisions: d.revisions,
      initiatedBy: d.initiatedBy,
    },
    group: `${row.namespace}/${d.application}`,
  };
}

/**
 * Argo CD keeps a history of successful syncs. Syncs of this same revision up to the row's own
 * operation (an operator's re-sync, a self-heal) are earlier attempts of the deploy; the row
 * itself is the latest, and once its operation succeeded it is also history's newest entry of
 * that start (times are whole seconds, so several syncs may share one).
 */
function earlierSyncs(deploy: Draft, d: DeployDetails): Draft[] {
  const current = deploy.startedAt;
  if (current === null) return [];
  const revisions = (d.revisions.length > 0 ? d.revisions : [d.revision]).join(" ");
  const startOf = (h: DeployHistoryEntry) => h.deployStartedAt ?? h.deployedAt;
  const same = d.history.filter((h) => {
    const at = startOf(h);
    return h.revisions.join(" ") === revisions && at !== null && at <= current;
  });
  const own =
    d.operationPhase === "Succeeded" ? same.findLast((h) => startOf(h) === current) : undefined;
  return same
    .filter((h) => h !== own)
    .map((h, index) => ({
      ...deploy,
      id: `${deploy.id}-sync-${h.id ?? index}`,
      // Before the row's own stage, in the order Argo CD recorded them.
      seq: deploy.seq - 1 + (index + 1) / (d.history.length + 1),
      status: "succeeded" as const,
      startedAt: h.deployStartedAt ?? h.deployedAt,
      finishedAt: h.deployedAt,
      reason: null,
      message: null,
      // What the history records: the revision synced, by whom; health then is not kept.
      details: {
        application: d.application,
        revision: d.revision,
        syncStatus: "Synced",
        health: null,
        images: [],
        revisions: d.revisions,
        initiatedBy: h.initiatedBy,
      },
    }));
}

/** Every stage the rows make; rows whose observation cannot be read are left out. */
export function resourceDrafts(
  rows: ResourceRow[],
  link: LinkLookup,
  bases: LinkBases,
  sha: string,
  gates: readonly GateRow[] = [],
): Draft[] {
  const children = indexChildren(rows);
  const drafts: Draft[] = [];
  const approvals: ResourceRow[] = [];
  for (const row of rows) {
    const o = asObservation(row.observation);
    if (!o) continue;
    switch (classify(row, o)) {
      case "build":
        drafts.push(buildDraft(row, o, link, sha));
        break;
      case "pipeline": {
        drafts.push(pipelineDraft(row, o, children, link, bases, sha));
        const start = gates.find(
          (g) => g.kind === "PipelineRun" && g.cluster === row.cluster && g.uid === row.uid,
        );
        if (start) drafts.push(pendingStartDraft(row, o, start, link, bases, sha));
        break;
      }
      case "deploy": {
        const deploy = deployDraft(row, o, link, bases, sha);
        drafts.push(...earlierSyncs(deploy, o.details as DeployDetails), deploy);
        break;
      }
      case "approval":
        approvals.push(row);
        break;
      case "context":
        break;
    }
  }
  for (const parts of groupApprovals(approvals))
    drafts.push(approvalDraft(parts, link, bases, sha, gates));
  return drafts;
}
