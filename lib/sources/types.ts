// The Observation: what every source normalizer returns, one plain-data fact about one run or
// artifact, with the correlation keys the timeline uses to tie it to a commit.

export const SYSTEMS = ["git", "kpack", "harbor", "tekton", "argocd"] as const;
export type System = (typeof SYSTEMS)[number];

export const STAGES = [
  "source",
  "build",
  "image",
  "scan",
  "pipeline",
  "approval",
  "deploy",
  "verify",
] as const;
export type Stage = (typeof STAGES)[number];

/** The API's status vocabulary (docs/api.md); the per-stage rules live in each source module. */
export const STATUSES = [
  "pending",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
  "skipped",
  "unknown",
] as const;
export type Status = (typeof STATUSES)[number];

/** The statuses a run or scan ends in: only a new attempt follows them. */
export const FINISHED_STATUSES = [
  "succeeded",
  "failed",
  "cancelled",
  "skipped",
] as const satisfies readonly Status[];

const FINISHED: ReadonlySet<string> = new Set(FINISHED_STATUSES);

/** Whether a status is one a run or scan ends in. */
export function isFinished(status: string | null | undefined): boolean {
  return status != null && FINISHED.has(status);
}

/** A git commit in a repository. `repoUrl` is normalised (see refs.ts `normalizeRepoUrl`). */
export interface GitRevision {
  sha: string; // lower-case hex, 7–64 chars; values that are not a SHA (e.g. "main") never land here
  repoUrl: string | null;
  ref: string | null; // branch or tag name when the source tells it, e.g. "main"
}

/** An image named by a source: `harbor.example.com/library/app:1.2` or `…/app@sha256:…`. */
export interface ImageRef {
  registry: string | null; // "harbor.example.com", "localhost:5000"; null when the ref names none
  repository: string; // "library/app", "test/alpine/helm" (Harbor repositories may contain "/")
  tag: string | null;
  digest: string | null; // normalised "sha256:<64 hex>"
}

/** The `shiplog.dev/*` labels (or annotations: a label value cannot hold a 64-hex digest). */
export interface ShiplogLabels {
  commit: string | null;
  app: string | null;
  imageDigest: string | null; // normalised "sha256:…"
  stage: Stage | null;
  environment: string | null;
}

export function emptyLabels(): ShiplogLabels {
  return { commit: null, app: null, imageDigest: null, stage: null, environment: null };
}

/** The run this one belongs to (Tekton TaskRun/CustomRun/ApprovalTask → PipelineRun). */
export interface ParentRef {
  kind: "PipelineRun";
  name: string;
  uid: string | null;
  pipelineTask: string | null;
}

export interface TaskSummary {
  name: string;
  status: Status; // "unknown" when the PipelineRun only references the child (v1 childReferences)
  startedAt: string | null;
  finishedAt: string | null;
  kind: string | null; // "TaskRun" | "CustomRun"
  runName: string | null;
}

export interface NamedValue {
  name: string;
  value: string; // arrays and objects are JSON-encoded
}

export interface BuildDetails {
  type: "build";
  image: string | null; // the first spec.tags entry, the tag kpack pushes
  digest: string | null;
  buildNumber: number | null;
  reason: string | null; // image.kpack.io/reason, e.g. "COMMIT,BUILDPACK"
  tags: string[];
  source: { url: string | null; revision: string | null }; // as written, may be a branch
  podName: string | null;
  stepsCompleted: string[];
}

export interface KpackImageDetails {
  type: "kpack-image";
  tag: string | null;
  latestImage: string | null;
  latestBuildRef: string | null;
  buildCounter: number | null;
  latestBuildReason: string | null;
  source: { url: string | null; revision: string | null };
}

export interface ImageDetails {
  type: "image";
  repository: string; // Harbor "project/repo"
  digest: string;
  tags: string[];
  pushedAt: string | null;
  signed: boolean | null; // null: the source cannot tell (webhooks carry no accessories)
  deleted: boolean;
  operator: string | null;
}

export interface ScanCounts {
  critical: number;
  high: number;
  medium: number;
  low: number; // includes Harbor's "Negligible"
  unknown: number;
}

export interface ScanDetails {
  type: "scan";
  repository: string;
  digest: string;
  scanner: { name: string | null; vendor: string | null; version: string | null } | null;
  severity: string | null; // lower-case Harbor severity: none|unknown|negligible|low|medium|high|critical
  counts: ScanCounts | null; // null when the scan produced no summary (failed, stopped)
  total: number | null;
  fixable: number | null;
  reportId: string | null;
  completePercent: number | null;
}

export interface PipelineDetails {
  type: "pipeline";
  pipeline: string | null;
  tasks: TaskSummary[];
  results: NamedValue[];
}

export interface TaskDetails {
  type: "task";
  pipelineTask: string | null;
  task: string | null; // taskRef name, or customRef kind for a CustomRun
  results: NamedValue[];
  podName: string | null;
}

export interface ApprovalDecision {
  user: string;
  decision: "approve" | "reject";
  comment: string | null;
  at: string | null;
}

export interface ApprovalDetails {
  type: "approval";
  gateId: string | null; // Shiplog's own gate (CustomRun status.extraFields.gateId), else null
  controller: "shiplog" | "manual-approval-gate";
  // The CustomRun this gate belongs to: manual-approval-gate gives one gate two objects (the
  // CustomRun and an ApprovalTask of the same name); the timeline merges them by this name.
  customRun: string | null;
  minApprovals: number | null;
  approvalsReceived: number | null;
  approvers: string[]; // users, and groups as "group:<name>"
  decisions: ApprovalDecision[];
  message: string | null;
}

export interface DeployHistoryEntry {
  id: number | null;
  revisions: string[]; // one per source for multi-source apps
  deployStartedAt: string | null;
  deployedAt: string | null;
  initiatedBy: string | null;
}

export interface DeployDetails {
  type: "deploy";
  application: string;
  project: string | null;
  revision: string | null; // the (first) revision this status is about
  revisions: string[];
  targetRevisions: string[]; // status.sync.revision(s): what Argo CD compared against
  syncedRevisions: string[]; // status.operationState.syncResult.revision(s)
  syncStatus: string | null; // Synced | OutOfSync | Unknown
  health: string | null; // Healthy | Progressing | Degraded | Suspended | Missing | Unknown
  healthMessage: string | null;
  images: string[];
  operationPhase: string | null;
  operationMessage: string | null;
  initiatedBy: string | null; // username, or "automated"
  destination: { server: string | null; name: string | null; namespace: string | null };
  sources: {
    repoUrl: string | null;
    path: string | null;
    targetRevision: string | null;
    chart: string | null;
  }[];
  history: DeployHistoryEntry[];
}

export interface SourceDetails {
  type: "source";
  author: { name: string | null; email: string | null; username: string | null };
  title: string; // first line of the message
  message: string;
  committedAt: string | null;
  url: string | null;
  branch: string | null;
  pushedBy: string | null;
  head: boolean; // the push's newest commit (the one CI builds)
}

export type Details =
  | BuildDetails
  | KpackImageDetails
  | ImageDetails
  | ScanDetails
  | PipelineDetails
  | TaskDetails
  | ApprovalDetails
  | DeployDetails
  | SourceDetails;

/**
 * One normalized fact. Plain data (JSON-serialisable), no behaviour.
 *
 * - `key` identifies the thing observed within one cluster / registry / forge:
 *   `<system>:<kind>:<namespace>/<name>` for Kubernetes objects,
 *   `harbor:<Artifact|Scan>:<project/repo>@<digest>`, `git:Commit:<repoUrl>@<sha>`.
 *   The ingest layer scopes it by cluster; a later observation with the same key supersedes.
 * - `stage` is the timeline stage it feeds; null for context-only objects (a kpack Image names
 *   an app's repository and source but is not itself a step of any commit).
 * - Correlation keys: `revision` (the app commit), `digests`, `imageRefs`, `manifestsRevisions`
 *   (the manifests-repo commit a pipeline wrote or Argo CD deployed), `labels` (`shiplog.dev/*`;
 *   when present they have already overridden the derived revision, digests, stage, environment),
 *   `parent`, `appHints` (best first).
 * - Times are ISO-8601 UTC strings (`toISOString()` form) or null. `finishedAt` is null unless the
 *   status is final.
 */
export interface Observation {
  key: string;
  system: System;
  kind: string; // the source's own word: Build, Image, PipelineRun, TaskRun, CustomRun, ApprovalTask, Application, Artifact, Scan, Commit
  apiVersion: string | null;
  namespace: string | null;
  name: string;
  uid: string | null;
  resourceVersion: string | null;
  repository: string | null; // Harbor "project/repo"; git "group/project"
  stage: Stage | null;
  status: Status;
  reason: string | null; // the source's reason; timeouts are normalised to "timeout"
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  revision: GitRevision | null;
  digests: string[];
  imageRefs: ImageRef[];
  manifestsRevisions: GitRevision[];
  labels: ShiplogLabels;
  parent: ParentRef | null;
  appHints: string[];
  environment: string | null;
  details: Details;
}
