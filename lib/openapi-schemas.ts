// The OpenAPI 3.1 component schemas (JSON Schema 2020-12) of the API's shapes (docs/api.md): CommitSummary,
// CommitTimeline, Stage with its per-stage details, Gate, and what the endpoints wrap them in.
import { STAGES, STATUSES, SYSTEMS } from "./sources/types";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  format?: string;
  enum?: readonly (string | number | null)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
};

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const string: JsonSchema = { type: "string" };
const text = (description?: string): JsonSchema => ({ type: ["string", "null"], description });
const time = (description?: string): JsonSchema => ({
  type: ["string", "null"],
  format: "date-time",
  description,
});
const int = (description?: string): JsonSchema => ({ type: ["integer", "null"], description });
const list = (items: JsonSchema): JsonSchema => ({ type: "array", items });
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: "null" }] });

/** An object whose listed properties are all required; the API's shapes always carry every field. */
function object(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return { type: "object", description, properties, required: Object.keys(properties) };
}

const decision = object({
  user: string,
  decision: { type: "string", enum: ["approve", "reject"] },
  comment: text(),
  at: time(),
});

const details: Record<string, JsonSchema> = {
  SourceDetails: object(
    { author: text(), message: text(), branch: text(), url: text() },
    "source: the push that made the commit",
  ),
  BuildDetails: object(
    {
      image: text("the tag kpack pushes"),
      digest: text("sha256:… of the built image"),
      buildNumber: int(),
      reason: text("image.kpack.io/reason, e.g. COMMIT,BUILDPACK"),
      tags: list(string),
    },
    "build: a kpack Build",
  ),
  ImageDetails: object(
    {
      repository: { type: "string", description: 'Harbor "project/repo"' },
      digest: string,
      tags: list(string),
      pushedAt: time(),
      signed: { type: ["boolean", "null"], description: "null when unknown" },
      deleted: { type: "boolean" },
    },
    "image: a Harbor artifact",
  ),
  ScanDetails: object(
    {
      scanner: text("e.g. Trivy v0.50.1"),
      severity: text("Harbor's overall severity, lower-case: none … critical"),
      counts: nullable(
        object({
          critical: { type: "integer" },
          high: { type: "integer" },
          medium: { type: "integer" },
          low: { type: "integer", description: "includes Harbor's Negligible" },
          unknown: { type: "integer" },
        }),
      ),
      total: int(),
      fixable: int(),
    },
    "scan: the scan's own run; findings never change the stage status",
  ),
  PipelineDetails: object(
    {
      pipeline: text("the Pipeline's name"),
      tasks: list(
        object({
          name: { type: "string", description: "the pipeline task name" },
          status: ref("Status"),
          startedAt: time(),
          finishedAt: time(),
          kind: text("TaskRun or CustomRun"),
          runName: text(),
        }),
      ),
    },
    "pipeline / verify: a Tekton PipelineRun and its tasks",
  ),
  ApprovalDetails: object(
    {
      gateId: text("Shiplog's gate id, when Shiplog controls the gate"),
      minApprovals: int(),
      approvers: { ...list(string), description: 'users, and groups as "group:<name>"' },
      decisions: list(decision),
      approvalsReceived: int(),
      message: text(),
      customRun: text("the gate's CustomRun"),
    },
    "approval: a gate (Shiplog Approval CustomRun, or manual-approval-gate)",
  ),
  DeployDetails: object(
    {
      application: string,
      revision: text("the manifests revision this deploy is about"),
      syncStatus: text("Synced | OutOfSync | Unknown"),
      health: text("Healthy | Progressing | Degraded | Suspended | Missing | Unknown"),
      images: list(string),
      revisions: list(string),
      initiatedBy: text('a user, or "automated"'),
    },
    "deploy: an Argo CD Application's sync of one revision",
  ),
};

const stageFields: Record<string, JsonSchema> = {
  id: { type: "string", description: "stable across requests" },
  stage: ref("StageName"),
  status: ref("Status"),
  title: string,
  startedAt: time(),
  finishedAt: time(),
  durationMs: int("finished − started, or now − started while in flight"),
  environment: text("for deploy / verify / approval stages"),
  cluster: text("the kubeconfig context"),
  resource: nullable(
    object({
      system: ref("System"),
      kind: string,
      namespace: string,
      name: string,
      uid: text(),
    }),
  ),
  url: text("deep link into the source system, when its base URL is configured"),
  linkedBy: text('which correlation rule tied it to the commit, e.g. "digest sha256:ab12cd3"'),
  details: { oneOf: Object.keys(details).map(ref), description: "per stage, see docs/api.md" },
  reason: text("the source system's reason"),
  message: text(),
  attempt: { type: "integer", minimum: 1, description: "per (stage, environment, run)" },
  attempts: { type: "integer", minimum: 1 },
  latest: { type: "boolean", description: "the attempt that counts for the commit's status" },
  rerunOf: text("the run this one re-runs"),
  deleted: { type: "boolean", description: "gone from the cluster or registry; history kept" },
};

const summaryFields: Record<string, JsonSchema> = {
  app: string,
  sha: string,
  shortSha: string,
  branch: text(),
  author: text(),
  message: text(),
  committedAt: time(),
  status: ref("Status"),
};

const statusMap: JsonSchema = {
  type: "object",
  additionalProperties: ref("Status"),
  description: "stage → status; deploy, verify and approval per environment (deploy:production)",
};

export const schemas: Record<string, JsonSchema> = {
  Status: { type: "string", enum: STATUSES },
  StageName: { type: "string", enum: STAGES },
  System: { type: "string", enum: SYSTEMS },
  Error: object({ error: string }),
  CommitSummary: object({ ...summaryFields, stages: statusMap }),
  CommitPage: object({ items: list(ref("CommitSummary")), nextCursor: text() }),
  AppListing: object({
    name: string,
    repoUrl: text(),
    environments: list(string),
    latest: nullable(ref("CommitSummary")),
  }),
  Stage: object(stageFields),
  Deployment: object({
    app: string,
    environment: text(),
    cluster: string,
    application: { type: "string", description: "the Argo CD Application" },
    namespace: string,
    sha: string,
    shortSha: string,
    digest: text("the image digest the deploy put live"),
    since: time(),
    health: text("Healthy, Progressing, Degraded, Suspended, Missing or Unknown, now"),
    syncStatus: text("Synced, OutOfSync or Unknown, now"),
    status: ref("Status"),
  }),
  RunStep: object({
    name: { type: "string", description: "Tekton step name, or kpack lifecycle phase" },
    container: {
      type: "string",
      description: 'the pod container: Tekton "step-<name>", kpack the phase',
    },
    status: ref("Status"),
    startedAt: time(),
    finishedAt: time(),
    exitCode: int(),
    reason: text(),
    log: {
      type: "string",
      enum: ["pod", "stored", "none"],
      description:
        "where its log can be read now: the pod, the tail kept when it failed, or nowhere",
    },
  }),
  RunGroup: object({
    name: { type: "string", description: "the TaskRun name, or the Build name" },
    title: { type: "string", description: 'the pipeline task name, or "build"' },
    status: ref("Status"),
    startedAt: time(),
    finishedAt: time(),
    durationMs: int(),
    podName: text(),
    steps: list(ref("RunStep")),
  }),
  RunDetail: object({
    system: { type: "string", enum: ["tekton", "kpack"] },
    kind: { type: "string", enum: ["PipelineRun", "Build"] },
    cluster: string,
    namespace: string,
    name: string,
    uid: string,
    app: text("the app of the commit the run belongs to, when linked"),
    sha: text("that commit"),
    title: { type: "string", description: "the pipeline name, or the kpack Image name" },
    status: ref("Status"),
    startedAt: time(),
    finishedAt: time(),
    durationMs: int("finished − started, or now − started while in flight"),
    live: { type: "boolean", description: "the object still exists in the cluster (not pruned)" },
    groups: list(ref("RunGroup")),
  }),
  CommitTimeline: object({
    ...summaryFields,
    repoUrl: text(),
    url: text("the commit's page at the forge"),
    stageStatuses: statusMap,
    stages: { ...list(ref("Stage")), description: "ordered by startedAt (nulls last)" },
  }),
  ...details,
  Decision: decision,
  Gate: object({
    id: string,
    app: text("null until the gate's run is linked to a commit"),
    sha: text(),
    environment: text(),
    status: { type: "string", enum: ["pending", "approved", "rejected", "expired", "cancelled"] },
    message: text(),
    minApprovals: { type: "integer" },
    approvers: { ...list(string), description: "users and group:NAME; empty: the approver role" },
    decisions: list(ref("Decision")),
    createdAt: { type: "string", format: "date-time" },
    expiresAt: time(),
    decidedAt: time(),
    kind: {
      type: "string",
      enum: ["Approval", "ApprovalTask", "PipelineRun"],
      description:
        "Approval CustomRun, manual-approval-gate ApprovalTask, or a pending PipelineRun",
    },
    cluster: string,
    authorMayDecide: { type: "boolean" },
    resource: nullable(
      object({ system: ref("System"), kind: string, namespace: string, name: string, uid: text() }),
    ),
  }),
  DecisionRequest: {
    ...object({ decision: { type: "string", enum: ["approve", "reject"] }, comment: string }),
    required: ["decision"],
  },
  RerunRequest: {
    ...object({
      system: ref("System"),
      cluster: string,
      namespace: string,
      kind: string,
      name: string,
      reason: string,
      operation: { type: "string", enum: ["rerun", "rebuild", "sync", "hard-refresh"] },
    }),
    required: ["system", "cluster", "namespace", "kind", "name"],
  },
  RerunAccepted: object({
    id: string,
    status: { type: "string", description: "succeeded, or accepted while a first request runs" },
    result: {
      type: ["object", "null"],
      description: "what was made or changed, e.g. the new PipelineRun's name",
    },
  }),
};
