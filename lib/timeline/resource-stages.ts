// Kubernetes rows as stages: kpack Builds, PipelineRuns (with their tasks), approval gates and
// Argo CD deploys. TaskRuns, plain CustomRuns and kpack Images are context, not stages.
import type { BuildDetails, DeployDetails, Observation } from "@/lib/sources/types";
import { approvalDraft, groupApprovals } from "./approval-stage";
import {
  asObservation,
  environmentOf,
  objectLabel,
  resourceBase,
  type Draft,
  type LinkLookup,
} from "./draft";
import { indexChildren, pipelineDraft } from "./pipeline-stage";
import type { LinkBases, ResourceRow } from "./types";
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

/** Whether a row is a stage of its own: what the store passes to summarizeStages. */
export function isStageRow(row: { kind: string; stage: string | null; observation: unknown }) {
  const o = asObservation(row.observation);
  return o !== null && classify(row, o) !== "context";
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

/** Every stage the rows make; rows whose observation cannot be read are left out. */
export function resourceDrafts(
  rows: ResourceRow[],
  link: LinkLookup,
  bases: LinkBases,
  sha: string,
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
      case "pipeline":
        drafts.push(pipelineDraft(row, o, children, link, bases, sha));
        break;
      case "deploy":
        drafts.push(deployDraft(row, o, link, bases, sha));
        break;
      case "approval":
        approvals.push(row);
        break;
      case "context":
        break;
    }
  }
  for (const parts of groupApprovals(approvals))
    drafts.push(approvalDraft(parts, link, bases, sha));
  return drafts;
}
