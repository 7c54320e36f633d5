// The Kubernetes kinds Shiplog follows, by group, the version it lists and watches, and plural:
// the one table the watchers, the gate controller and operators' actions address objects by.
import type { System } from "./types";

export interface WatchedKind {
  group: string;
  version: string; // the version to list/watch; the normalizers read any served version
  plural: string;
  kind: string;
  namespaced: boolean;
  system: System;
}

/** Every kind Shiplog watches. A cluster may lack some CRDs (no kpack in production, no ApprovalTask). */
export const WATCHED_KINDS: readonly WatchedKind[] = [
  {
    group: "kpack.io",
    version: "v1alpha2",
    plural: "builds",
    kind: "Build",
    namespaced: true,
    system: "kpack",
  },
  {
    group: "kpack.io",
    version: "v1alpha2",
    plural: "images",
    kind: "Image",
    namespaced: true,
    system: "kpack",
  },
  {
    group: "tekton.dev",
    version: "v1",
    plural: "pipelineruns",
    kind: "PipelineRun",
    namespaced: true,
    system: "tekton",
  },
  {
    group: "tekton.dev",
    version: "v1",
    plural: "taskruns",
    kind: "TaskRun",
    namespaced: true,
    system: "tekton",
  },
  {
    group: "tekton.dev",
    version: "v1beta1",
    plural: "customruns",
    kind: "CustomRun",
    namespaced: true,
    system: "tekton",
  },
  {
    group: "openshift-pipelines.org",
    version: "v1alpha1",
    plural: "approvaltasks",
    kind: "ApprovalTask",
    namespaced: true,
    system: "tekton",
  },
  {
    group: "argoproj.io",
    version: "v1alpha1",
    plural: "applications",
    kind: "Application",
    namespaced: true,
    system: "argocd",
  },
];

/** How the Kubernetes API addresses a kind: group, version and plural (no namespace). */
export type KindRef = Pick<WatchedKind, "group" | "version" | "plural">;

/** The API address of one of the watched kinds, by its Kind. */
export function kindRef(kind: WatchedKind["kind"]): KindRef {
  const found = WATCHED_KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(`${kind} is not a watched kind`);
  return { group: found.group, version: found.version, plural: found.plural };
}
