// The Tekton Pipelines and Tasks installed in each cluster's `ci` namespace: promote (staging),
// promote-production with Shiplog's Approval or openshift-pipelines' ApprovalTask gate, and e2e.
import type { KubeObject } from "../kube";

export const TEKTON_API = "tekton.dev/v1";
export const CI_NAMESPACE = "ci";
export const SHIPLOG_APPROVAL = { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" };
export const APPROVAL_TASK = {
  apiVersion: "openshift-pipelines.org/v1alpha1",
  kind: "ApprovalTask",
};

export interface PipelineTask {
  name: string;
  taskRef: { name?: string; kind?: string; apiVersion?: string };
  params?: Array<{ name: string; value: unknown }>;
  runAfter?: string[];
  timeout?: string;
}

export interface PipelineSpec {
  params?: Array<{ name: string; type: string; description?: string; default?: string }>;
  tasks: PipelineTask[];
  results?: Array<{ name: string; description?: string; value: string }>;
}

const parse: PipelineTask = {
  name: "parse",
  taskRef: { kind: "Task", name: "parse-harbor-event" },
  params: [{ name: "event", value: "$(params.harbor-event)" }],
};

function gitCli(after: string): PipelineTask {
  return {
    name: "git-cli",
    taskRef: { kind: "Task", name: "git-cli" },
    runAfter: [after],
    params: [
      { name: "GIT_USER_NAME", value: "Tekton Bot" },
      { name: "GIT_USER_EMAIL", value: "tekton-bot@shop.example.com" },
      {
        name: "GIT_SCRIPT",
        value:
          "git clone $(params.manifests-repo) manifests && cd manifests\n" +
          "cd $(params.app)/$(params.environment) && kustomize edit set image $(tasks.parse.results.image)\n" +
          'git commit -am "promote $(params.app) to $(params.environment): $(tasks.parse.results.digest)" && git push origin main',
      },
    ],
  };
}

function approval(ref: { apiVersion: string; kind: string }): PipelineTask {
  const isGate = ref.kind === APPROVAL_TASK.kind;
  return {
    name: "approve",
    taskRef: { ...ref },
    runAfter: ["parse"],
    timeout: "1h0m0s",
    params: [
      { name: "approvers", value: "$(params.approvers[*])" },
      { name: isGate ? "numberOfApprovalsRequired" : "minApprovals", value: "1" },
      {
        name: isGate ? "description" : "message",
        value: "Promote $(params.app) $(tasks.parse.results.digest) to $(params.environment)",
      },
    ],
  };
}

const argocdSync: PipelineTask = {
  name: "argocd-sync",
  taskRef: { kind: "Task", name: "argocd-task-sync-and-wait" },
  runAfter: ["git-cli"],
  params: [
    { name: "application-name", value: "$(params.app)-$(params.environment)" },
    { name: "revision", value: "$(tasks.git-cli.results.commit)" },
    { name: "flags", value: "--grpc-web" },
    { name: "argocd-version", value: "v2.13.2" },
  ],
};

const promoteParams = [
  { name: "harbor-event", type: "string", description: "Harbor's PUSH_ARTIFACT webhook body" },
  { name: "app", type: "string" },
  { name: "environment", type: "string" },
  { name: "manifests-repo", type: "string" },
];
const productionParams = [...promoteParams, { name: "approvers", type: "array" }];

const promoteResults = [
  {
    name: "digest",
    description: "The promoted image digest",
    value: "$(tasks.parse.results.digest)",
  },
  { name: "commit", description: "The manifests commit", value: "$(tasks.git-cli.results.commit)" },
];

export const PIPELINES: Record<string, PipelineSpec> = {
  promote: {
    params: promoteParams,
    tasks: [parse, gitCli("parse")],
    results: promoteResults,
  },
  "promote-production": {
    params: productionParams,
    tasks: [parse, approval(SHIPLOG_APPROVAL), gitCli("approve"), argocdSync],
    results: promoteResults,
  },
  "promote-production-approvaltask": {
    params: productionParams,
    tasks: [parse, approval(APPROVAL_TASK), gitCli("approve"), argocdSync],
    results: promoteResults,
  },
  e2e: {
    params: [
      { name: "image", type: "string" },
      { name: "environment", type: "string" },
      { name: "base-url", type: "string" },
      { name: "manifests-revision", type: "string" },
    ],
    tasks: [
      {
        name: "selenium",
        taskRef: { kind: "Task", name: "selenium-e2e" },
        params: [
          { name: "base-url", value: "$(params.base-url)" },
          { name: "image", value: "$(params.image)" },
        ],
      },
    ],
    results: [
      { name: "passed", value: "$(tasks.selenium.results.passed)" },
      { name: "failed", value: "$(tasks.selenium.results.failed)" },
    ],
  },
};

export interface TaskDef {
  params: Array<{ name: string; type: string; default?: string }>;
  steps: Array<{ name: string; image: string }>;
  results: Array<{ name: string; type: string; description?: string }>;
}

export const TASKS: Record<string, TaskDef> = {
  "parse-harbor-event": {
    params: [{ name: "event", type: "string" }],
    steps: [{ name: "parse", image: "ghcr.io/jqlang/jq:1.7.1" }],
    results: [
      { name: "digest", type: "string", description: "The pushed image's digest" },
      { name: "image", type: "string", description: "repository@digest" },
    ],
  },
  "git-cli": {
    params: [
      { name: "GIT_USER_NAME", type: "string", default: "" },
      { name: "GIT_USER_EMAIL", type: "string", default: "" },
      { name: "GIT_SCRIPT", type: "string" },
    ],
    steps: [{ name: "git", image: "cgr.dev/chainguard/git:root-2.39" }],
    results: [
      {
        name: "commit",
        type: "string",
        description: "The precise commit SHA after the git operation.",
      },
    ],
  },
  "argocd-task-sync-and-wait": {
    params: [
      { name: "application-name", type: "string" },
      { name: "revision", type: "string", default: "HEAD" },
      { name: "flags", type: "string", default: "--" },
      { name: "argocd-version", type: "string", default: "v2.2.2" },
    ],
    steps: [
      { name: "login", image: "quay.io/argoproj/argocd:v2.13.2" },
      { name: "sync", image: "quay.io/argoproj/argocd:v2.13.2" },
    ],
    results: [],
  },
  "selenium-e2e": {
    params: [
      { name: "base-url", type: "string" },
      { name: "image", type: "string" },
    ],
    steps: [
      { name: "wait-for-rollout", image: "bitnami/kubectl:1.32" },
      { name: "run-tests", image: "selenium/standalone-chrome:131.0" },
    ],
    results: [
      { name: "passed", type: "string" },
      { name: "failed", type: "string" },
    ],
  },
};

/** The Pipeline and Task objects, to create in a cluster's ci namespace. */
export function catalogObjects(): KubeObject[] {
  return [
    ...Object.entries(TASKS).map(([name, spec]) => ({
      apiVersion: TEKTON_API,
      kind: "Task",
      metadata: { name, namespace: CI_NAMESPACE },
      spec,
    })),
    ...Object.entries(PIPELINES).map(([name, spec]) => ({
      apiVersion: TEKTON_API,
      kind: "Pipeline",
      metadata: { name, namespace: CI_NAMESPACE },
      spec,
    })),
  ];
}
