// The paths of run detail, approval gates and re-runs in the OpenAPI document.
import { list, string, json, error, type Operation, type Parameter } from "./openapi-parts";
import { ref } from "./openapi-schemas";

const runParams: Parameter[] = [
  {
    name: "cluster",
    in: "path",
    required: true,
    description: "the kubeconfig context",
    schema: string,
  },
  {
    name: "namespace",
    in: "path",
    required: true,
    description: "the run's namespace",
    schema: string,
  },
  {
    name: "kind",
    in: "path",
    required: true,
    description: "pipelineruns (Tekton) or builds (kpack)",
    schema: { type: "string", enum: ["pipelineruns", "builds"] },
  },
  { name: "name", in: "path", required: true, description: "the run's name", schema: string },
];

export const runAndGatePaths: Record<string, Record<string, Operation>> = {
  "/api/v1/runs/{cluster}/{namespace}/{kind}/{name}": {
    get: {
      operationId: "getRunDetail",
      summary: "A PipelineRun's TaskRuns or a kpack Build's pod, with their steps",
      description:
        "Each step says where its log can be read now: from the pod while it exists, or the tail Shiplog kept when the step failed.",
      tags: ["runs"],
      "x-shiplog-implemented": true,
      parameters: runParams,
      responses: {
        "200": json(ref("RunDetail"), "the run"),
        "400": error("a malformed parameter (kind must be pipelineruns or builds)"),
        "404": error("Shiplog never saw this run"),
      },
    },
  },
  "/api/v1/runs/{cluster}/{namespace}/{kind}/{name}/logs": {
    get: {
      operationId: "getRunStepLog",
      summary: "One step's log as text",
      description:
        "From the pod through the Kubernetes API (the last 2,000 lines, at most 1 MiB) while it exists, else the tail kept in Postgres when the step failed (the last 200 lines, at most 64 KiB). X-Shiplog-Log-Source says which; X-Shiplog-Log-Truncated whether earlier output was left out.",
      tags: ["runs"],
      "x-shiplog-implemented": true,
      parameters: [
        ...runParams,
        {
          name: "group",
          in: "query",
          required: true,
          description: "the group's name: the TaskRun, or the Build",
          schema: { type: "string", maxLength: 253 },
        },
        {
          name: "step",
          in: "query",
          required: true,
          description: "the step's name",
          schema: { type: "string", maxLength: 253 },
        },
      ],
      responses: {
        "200": {
          description: "the log",
          content: { "text/plain; charset=utf-8": { schema: string } },
        },
        "400": error("a malformed parameter, or group or step missing"),
        "404": error("no such run or step, or its log is neither in the pod nor kept"),
        "502": error("the cluster failed to give the log and none was kept"),
      },
    },
  },
  "/api/v1/approvals": {
    get: {
      operationId: "listApprovals",
      summary: "Approval gates",
      description:
        "Pending gates oldest first, decided ones (approved, rejected, expired, cancelled) newest first; both without status.",
      tags: ["approvals"],
      "x-shiplog-implemented": true,
      parameters: [
        {
          name: "status",
          in: "query",
          description: "pending, or decided",
          schema: { type: "string", enum: ["pending", "decided"] },
        },
        {
          name: "limit",
          in: "query",
          description: "at most this many (default 200)",
          schema: { type: "integer", minimum: 1, maximum: 500 },
        },
      ],
      responses: {
        "200": json(list(ref("Gate")), "the gates"),
        "400": error("a malformed parameter"),
        "401": error("not signed in"),
      },
    },
  },
  "/api/v1/approvals/{id}/decision": {
    post: {
      operationId: "decideApproval",
      summary: "Approve or reject a gate",
      description:
        "Only the gate's named approvers (users, or members of group:NAME) may decide, or the approver role when it names none (admins included, but an admin must be named like anyone else when the gate names approvers). The commit's author may not approve their own change unless the gate allows it. A rejection needs a comment. One decision per person; exactly one outcome per gate, whatever the concurrency. The outcome reaches the cluster from the leader replica at once, or when the Kubernetes API is back.",
      tags: ["approvals"],
      "x-shiplog-implemented": true,
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          description: "gate id",
          schema: { type: "string" },
        },
      ],
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("DecisionRequest") } },
      },
      responses: {
        "200": json(ref("Gate"), "the gate with this decision (pending until enough approvals)"),
        "400": error("a malformed body, or a rejection without a comment"),
        "401": error("not signed in"),
        "404": error("no such gate"),
        "403": error("not allowed to decide this gate (the reason is in the message)"),
        "409": error("the gate is no longer pending, or this person already decided it"),
        "413": error("a body over 64 KiB"),
        "415": error("a body not sent as Content-Type: application/json"),
      },
    },
  },
  "/api/v1/reruns": {
    post: {
      operationId: "rerun",
      summary: "Re-run a PipelineRun, rebuild a kpack Image/Build, or sync an Argo CD Application",
      description:
        "Needs the operator role. A PipelineRun is re-run as a new run from its spec (generateName <name>-r-, label shiplog.dev/rerun-of); a kpack Image or Build is rebuilt through image.kpack.io/additionalBuildNeeded on the Image's newest Build; an Application is synced (operation, initiatedBy the caller) or, with operation hard-refresh, refreshed. A re-run of a PipelineRun that waited to start (PipelineRunPending, or a start gate whatever its outcome) is created PipelineRunPending with its approval annotations: it opens a new gate and starts only when that gate is approved (result.heldForApproval). The target must be in a configured cluster, named by Kubernetes names (namespace a DNS-1123 label, name a DNS-1123 subdomain), and be an object Shiplog has stored; otherwise nothing touches the cluster. Every refusal is audited. The same Idempotency-Key returns the same action and changes nothing more.",
      tags: ["actions"],
      "x-shiplog-implemented": true,
      parameters: [
        {
          name: "Idempotency-Key",
          in: "header",
          description:
            "repeats with this key return the first request's action (1–200 visible ASCII characters)",
          schema: { type: "string", maxLength: 200 },
        },
      ],
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("RerunRequest") } },
      },
      responses: {
        "202": json(ref("RerunAccepted"), "accepted; the watch brings the new state back"),
        "400": error(
          "a malformed body, a namespace or name that is not a Kubernetes name, an unknown cluster, or an object the cluster no longer has",
        ),
        "401": error("not signed in"),
        "403": error("without the operator role"),
        "404": error("Shiplog has not stored this object (not watched, or not seen yet)"),
        "409": error(
          "an Argo CD operation is already in progress, or the key was used for another request",
        ),
        "413": error("a body over 64 KiB"),
        "415": error("a body not sent as Content-Type: application/json"),
        "502": error("the Kubernetes API refused or could not be reached"),
      },
    },
  },
};
