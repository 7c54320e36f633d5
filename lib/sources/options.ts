// Which Tekton param/result names carry correlation keys, which pipelines verify a deployment,
// and which custom tasks are approval gates. Teams name these differently, so all are settable.

export interface CustomTaskRef {
  apiVersion: string;
  kind: string;
}

export interface SourceOptions {
  /** Params searched for `sha256:` digests; "*" = every param (values may be whole JSON bodies). */
  digestParams: string[];
  /** Results searched for `sha256:` digests (Tekton Chains' IMAGE_DIGEST); "*" = every result. */
  digestResults: string[];
  /** Params/results holding an image reference (repo[:tag][@digest]). */
  imageParams: string[];
  imageResults: string[];
  /** Params/results holding the app commit SHA, and the app repository URL beside it. */
  revisionParams: string[];
  revisionResults: string[];
  repoUrlParams: string[];
  repoUrlResults: string[];
  /** Results holding the manifests-repo commit a pipeline wrote (git-cli's `commit`). */
  manifestsRevisionResults: string[];
  /** Pipeline names whose runs feed `verify` rather than `pipeline`. */
  verifyPipelines: string[];
  /** Custom-task references that are approval gates (CustomRun customRef / customSpec). */
  approvalRefs: CustomTaskRef[];
}

export const SHIPLOG_APPROVAL: CustomTaskRef = {
  apiVersion: "shiplog.dev/v1alpha1",
  kind: "Approval",
};
export const MANUAL_APPROVAL_GATE: CustomTaskRef = {
  apiVersion: "openshift-pipelines.org/v1alpha1",
  kind: "ApprovalTask",
};

export const DEFAULT_OPTIONS: SourceOptions = {
  // Every param: the reference pipeline passes Harbor's whole webhook body as one param, and the
  // param's name is the TriggerTemplate author's choice. Narrow it if a pipeline pins base images.
  digestParams: ["*"],
  digestResults: ["*"],
  imageParams: ["IMAGE", "IMAGE_URL", "image", "image-url", "imageUrl"],
  imageResults: ["IMAGE_URL", "IMAGE", "image", "image-url"],
  revisionParams: ["revision", "git-revision", "commit-sha", "git-commit", "CHAINS-GIT_COMMIT"],
  revisionResults: ["CHAINS-GIT_COMMIT"],
  repoUrlParams: ["url", "git-url", "repo-url", "repository-url", "CHAINS-GIT_URL"],
  repoUrlResults: ["CHAINS-GIT_URL"],
  manifestsRevisionResults: ["commit"],
  verifyPipelines: [],
  approvalRefs: [SHIPLOG_APPROVAL, MANUAL_APPROVAL_GATE],
};

export type SourceOptionsInput = Partial<SourceOptions>;

export function resolveOptions(input: SourceOptionsInput = {}): SourceOptions {
  const out: SourceOptions = { ...DEFAULT_OPTIONS };
  for (const [k, v] of Object.entries(input) as [keyof SourceOptions, unknown][]) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Whether `name` is selected by a list that may contain "*". */
export function nameMatches(list: string[], name: string): boolean {
  return list.includes("*") || list.includes(name);
}
