// What an operator may ask of a resource (POST /api/v1/reruns): the systems, kinds and operations,
// and which operations each kind allows (its default first). The route's validation, the action
// itself and the timeline's buttons all read this table. Pure; safe in the browser.

export const RERUN_SYSTEMS = ["tekton", "kpack", "argocd"] as const;
export const RERUN_KINDS = ["PipelineRun", "Image", "Build", "Application"] as const;
export const RERUN_OPERATIONS = ["rerun", "rebuild", "sync", "hard-refresh"] as const;

export type RerunSystem = (typeof RERUN_SYSTEMS)[number];
export type RerunKind = (typeof RERUN_KINDS)[number];
export type RerunOperation = (typeof RERUN_OPERATIONS)[number];

/** The object an action is for. */
export type RerunTarget = {
  system: RerunSystem;
  cluster: string;
  namespace: string;
  kind: RerunKind;
  name: string;
};

const OPERATIONS: Record<string, readonly RerunOperation[]> = {
  "tekton/PipelineRun": ["rerun"],
  "kpack/Image": ["rebuild"],
  "kpack/Build": ["rebuild"],
  "argocd/Application": ["sync", "hard-refresh"],
};

/** The operations a system's kind allows, its default first; null when it allows none. */
export function operationsFor(system: string, kind: string): readonly RerunOperation[] | null {
  return OPERATIONS[`${system}/${kind}`] ?? null;
}

/** "a, b or c": how the route's messages list the allowed values. */
export function oneOf(values: readonly string[]): string {
  return values.length > 1
    ? `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`
    : (values[0] ?? "");
}
