// The timeline's shapes: what assembly reads (rows as the store keeps them, structurally the
// Prisma models) and what it returns (the API's CommitTimeline, Stage and CommitSummary: docs/api.md).
import type { ScanCounts, Stage, Status, System } from "@/lib/sources/types";

export interface CommitRow {
  sha: string;
  branch: string | null;
  author: string | null;
  authorEmail?: string | null;
  message: string | null;
  url: string | null;
  committedAt: Date | null;
}

export interface AppRow {
  name: string;
  repoUrl: string | null;
}

/** A `resources` row; `observation` is the Observation JSON the store kept. */
export interface ResourceRow {
  id: bigint;
  system: string;
  kind: string;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  key: string;
  object: unknown;
  observation: unknown;
  stage: string | null;
  status: string;
  reason: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  parentKey: string | null;
  environment: string | null;
  deletedAt: Date | null;
}

/** An `artifacts` row (Harbor); `scanSummary` is the ScanDetails JSON. */
export interface ArtifactRow {
  id: bigint;
  project: string;
  repository: string;
  digest: string;
  tags: string[];
  pushedAt: Date | null;
  scanStatus: string | null;
  severity: string | null;
  scanSummary: unknown;
  scanner: string | null;
  deletedAt: Date | null;
}

/** A `links` row from this commit. */
export interface LinkRow {
  toType: string; // "resource" | "artifact"
  toId: bigint;
  rule: string;
  evidence: string | null;
}

export interface TimelineInput {
  commit: CommitRow;
  app: AppRow;
  /** Linked resources, and the child TaskRuns/CustomRuns of linked PipelineRuns. */
  resources: ResourceRow[];
  artifacts: ArtifactRow[];
  links: LinkRow[];
  /** Shiplog's gates on this commit's approval objects (lib/gates), the record of decisions. */
  gates?: GateRow[];
}

/** A gate as the timeline needs it: found by its object (cluster + uid), with every decision. */
export interface GateRow {
  gateId: string;
  /** "Approval" (a CustomRun), "ApprovalTask", or "PipelineRun" (created PipelineRunPending). */
  kind: string;
  cluster: string;
  uid: string;
  status: string;
  message: string | null;
  createdAt: string;
  decidedAt: string | null;
  minApprovals: number;
  approvers: string[];
  decisions: { user: string; decision: "approve" | "reject"; comment: string | null; at: string }[];
}

/** Base URLs of the systems' own UIs; a stage gets a deep link only when its system has one. */
export interface LinkBases {
  tektonDashboard?: string | null;
  argocd?: string | null;
  harbor?: string | null;
  gitHost?: string | null;
}

export interface StageResource {
  system: System;
  kind: string;
  namespace: string;
  name: string;
  uid: string | null;
}

export interface PipelineTask {
  name: string;
  status: Status;
  startedAt: string | null;
  finishedAt: string | null;
  kind: string | null;
  runName: string | null;
}

export type StageDetails =
  | { author: string | null; message: string | null; branch: string | null; url: string | null }
  | {
      image: string | null;
      digest: string | null;
      buildNumber: number | null;
      reason: string | null;
      tags: string[];
    }
  | {
      repository: string;
      digest: string;
      tags: string[];
      pushedAt: string | null;
      signed: boolean | null;
      deleted: boolean;
    }
  | {
      scanner: string | null;
      severity: string | null;
      counts: ScanCounts | null;
      total: number | null;
      fixable: number | null;
    }
  | { pipeline: string | null; tasks: PipelineTask[] }
  | {
      gateId: string | null;
      minApprovals: number | null;
      approvers: string[];
      decisions: {
        user: string;
        decision: "approve" | "reject";
        comment: string | null;
        at: string | null;
      }[];
      approvalsReceived: number | null;
      message: string | null;
      customRun: string | null;
    }
  | {
      application: string;
      revision: string | null;
      syncStatus: string | null;
      health: string | null;
      images: string[];
      revisions: string[];
      initiatedBy: string | null;
    };

/** The API's Stage, plus `reason`, `message`, attempts and `deleted`. */
export interface TimelineStage {
  id: string;
  stage: Stage;
  status: Status;
  title: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  environment: string | null;
  cluster: string | null;
  resource: StageResource | null;
  url: string | null;
  linkedBy: string | null;
  details: StageDetails;
  reason: string | null;
  message: string | null;
  /** 1-based, per (stage, environment, group): kpack rebuilds, PipelineRun re-runs, re-syncs. */
  attempt: number;
  attempts: number;
  /** The attempt that counts for the commit's status (see summary.ts). */
  latest: boolean;
  /** The run this one re-runs (label shiplog.dev/rerun-of or dashboard.tekton.dev/rerunOf). */
  rerunOf: string | null;
  /** The cluster or registry no longer has it; the history stays. */
  deleted: boolean;
}

export interface CommitSummary {
  app: string;
  sha: string;
  shortSha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: string | null;
  status: Status;
  stages: Record<string, Status>;
}

export interface CommitTimeline {
  app: string;
  repoUrl: string | null;
  sha: string;
  shortSha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: string | null;
  /** The commit's own page at the forge, when known. */
  url: string | null;
  status: Status;
  /** The same map CommitSummary.stages carries, from these stages. */
  stageStatuses: Record<string, Status>;
  stages: TimelineStage[];
}
