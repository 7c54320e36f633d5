// Tekton (tekton.dev): PipelineRuns feed `pipeline` (or `verify`), their TaskRuns and CustomRuns
// carry the keys their tasks produced; a CustomRun for an approval custom task feeds `approval`.
import { normalizeApprovalCustomRun, approvalRefOf } from "./approval-gate";
import {
  applyLabels,
  checkObject,
  identity,
  labelAppHints,
  readShiplogLabels,
  type Meta,
} from "./k8s";
import { resolveOptions, type SourceOptions, type SourceOptionsInput } from "./options";
import { isoTime } from "./refs";
import { ok, type NormalizeResult } from "./result";
import { asNamedValues, keysFromRun, parentOf, readNamed } from "./tekton-keys";
import { readRunState, taskSummaries } from "./tekton-status";
import type { Observation, ShiplogLabels, Stage } from "./types";
import { get, rec, str } from "./values";

/** A run's stage: the shiplog.dev/stage label wins; a configured verify pipeline is `verify`. */
function runStage(labels: ShiplogLabels, pipeline: string | null, opts: SourceOptions): Stage {
  if (labels.stage) return labels.stage;
  if (pipeline && opts.verifyPipelines.includes(pipeline)) return "verify";
  return "pipeline";
}

function pipelineNameOf(obj: unknown, meta: Meta): string | null {
  return str(get(obj, "spec", "pipelineRef", "name")) ?? str(meta.labels["tekton.dev/pipeline"]);
}

export function normalizePipelineRun(raw: unknown, options?: SourceOptionsInput): NormalizeResult {
  const c = checkObject(raw, "tekton", "PipelineRun");
  if (!c.ok) return c.result;
  const { obj, meta } = c;
  const opts = resolveOptions(options);
  const state = readRunState(obj);
  const labels = readShiplogLabels(meta);
  const pipeline = pipelineNameOf(obj, meta);
  const params = readNamed(get(obj, "spec", "params"));
  // v1 calls them `results`; v1beta1 `pipelineResults`.
  const results = readNamed(get(obj, "status", "results"), get(obj, "status", "pipelineResults"));
  const { repoUrl, ...keys } = keysFromRun(params, results, opts);
  const o: Observation = {
    ...identity("tekton", "PipelineRun", meta),
    repository: null,
    stage: runStage(labels, pipeline, opts),
    status: state.status,
    reason: state.reason,
    message: state.message,
    startedAt: isoTime(get(obj, "status", "startTime")),
    finishedAt: state.final ? isoTime(get(obj, "status", "completionTime")) : null,
    ...keys,
    labels,
    parent: null,
    appHints: labelAppHints(meta),
    environment: null,
    details: {
      type: "pipeline",
      pipeline,
      tasks: taskSummaries(obj, state.final),
      results: asNamedValues(results),
    },
  };
  return ok([applyLabels(o, repoUrl)]);
}

/** TaskRuns and non-approval CustomRuns: a task of their PipelineRun, with its own keys. */
function normalizeTaskLike(
  kind: "TaskRun" | "CustomRun",
  obj: Record<string, unknown>,
  meta: Meta,
  task: string | null,
  opts: SourceOptions,
): NormalizeResult {
  const state = readRunState(obj);
  const labels = readShiplogLabels(meta);
  const params = readNamed(get(obj, "spec", "params"));
  const results = readNamed(get(obj, "status", "results"), get(obj, "status", "taskResults"));
  const { repoUrl, ...keys } = keysFromRun(params, results, opts);
  const parent = parentOf(meta);
  const o: Observation = {
    ...identity("tekton", kind, meta),
    repository: null,
    // Children inherit the PipelineRun's labels, so a verify run's TaskRuns are `verify` too.
    stage: runStage(labels, str(meta.labels["tekton.dev/pipeline"]), opts),
    status: state.status,
    reason: state.reason,
    message: state.message,
    startedAt: isoTime(get(obj, "status", "startTime")),
    finishedAt: state.final ? isoTime(get(obj, "status", "completionTime")) : null,
    ...keys,
    labels,
    parent,
    appHints: labelAppHints(meta),
    environment: null,
    details: {
      type: "task",
      pipelineTask: parent?.pipelineTask ?? str(meta.labels["tekton.dev/pipelineTask"]),
      task,
      results: asNamedValues(results),
      podName: str(get(obj, "status", "podName")),
    },
  };
  return ok([applyLabels(o, repoUrl)]);
}

export function normalizeTaskRun(raw: unknown, options?: SourceOptionsInput): NormalizeResult {
  const c = checkObject(raw, "tekton", "TaskRun");
  if (!c.ok) return c.result;
  const task = str(get(c.obj, "spec", "taskRef", "name")) ?? str(c.meta.labels["tekton.dev/task"]);
  return normalizeTaskLike("TaskRun", c.obj, c.meta, task, resolveOptions(options));
}

export function normalizeCustomRun(raw: unknown, options?: SourceOptionsInput): NormalizeResult {
  const c = checkObject(raw, "tekton", "CustomRun");
  if (!c.ok) return c.result;
  const opts = resolveOptions(options);
  const ref = approvalRefOf(c.obj, opts);
  if (ref) return normalizeApprovalCustomRun(c.obj, c.meta, ref);
  const customRef = rec(get(c.obj, "spec", "customRef") ?? get(c.obj, "spec", "customSpec"));
  return normalizeTaskLike("CustomRun", c.obj, c.meta, str(customRef.kind), opts);
}
