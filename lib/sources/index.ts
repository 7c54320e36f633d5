// The one entry to lib/sources: the Kubernetes kinds the ingest layer watches, a dispatcher from
// (apiGroup, kind) to the pure normalizer, and the webhook/API normalizers for Harbor and git.
import { normalizeApplication } from "./argocd";
import { normalizeApprovalTask } from "./approval-gate";
import { normalizeBuild, normalizeImage } from "./kpack";
import type { SourceOptionsInput } from "./options";
import { fail, type NormalizeResult } from "./result";
import { normalizeCustomRun, normalizePipelineRun, normalizeTaskRun } from "./tekton";
import { isRecord, str } from "./values";

export type Normalizer = (raw: unknown, options?: SourceOptionsInput) => NormalizeResult;

const NORMALIZERS: Record<string, Normalizer> = {
  "kpack.io/Build": normalizeBuild,
  "kpack.io/Image": normalizeImage,
  "tekton.dev/PipelineRun": normalizePipelineRun,
  "tekton.dev/TaskRun": normalizeTaskRun,
  "tekton.dev/CustomRun": normalizeCustomRun,
  "openshift-pipelines.org/ApprovalTask": normalizeApprovalTask,
  "argoproj.io/Application": normalizeApplication,
};

export function normalizerFor(group: string, kind: string): Normalizer | null {
  return NORMALIZERS[`${group}/${kind}`] ?? null;
}

/** Any watched object, dispatched on its own apiVersion and kind (every served version). */
export function normalizeResource(raw: unknown, options?: SourceOptionsInput): NormalizeResult {
  if (!isRecord(raw)) return fail("not-an-object", null, "Kubernetes object: not an object");
  const apiVersion = str(raw.apiVersion) ?? "";
  const kind = str(raw.kind) ?? "";
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const normalize = normalizerFor(group, kind);
  if (!normalize) {
    return fail(
      "unsupported-kind",
      null,
      `no normalizer for ${apiVersion || "(no apiVersion)"} ${kind || "(no kind)"}`,
    );
  }
  return normalize(raw, options);
}

export { normalizeApplication } from "./argocd";
export { normalizeApprovalTask } from "./approval-gate";
export { normalizeGitPush, type GitPushOptions } from "./git";
export { normalizeHarborArtifact, normalizeHarborWebhook } from "./harbor";
export { normalizeBuild, normalizeImage } from "./kpack";
export {
  DEFAULT_OPTIONS,
  resolveOptions,
  type SourceOptions,
  type SourceOptionsInput,
  type CustomTaskRef,
} from "./options";
export {
  normalizeDigest,
  normalizeRepoUrl,
  normalizeSha,
  parseImageRef,
  formatImageRef,
} from "./refs";
export { SourceError, type NormalizeResult, type SourceErrorCode } from "./result";
export { normalizeCustomRun, normalizePipelineRun, normalizeTaskRun } from "./tekton";
export * from "./types";
export { WATCHED_KINDS, kindRef, type KindRef, type WatchedKind } from "./kinds";
