// The set of resources a simulated cluster serves, with the lookups routing, discovery and the store need.
import { builtinTypes } from "./builtin-types";
import { crdObject, loadCrdDocuments, resourceTypeFromCrd } from "./crds";
import { KubeError } from "./status-errors";
import type { KindRef, KubeObject, ResourceType } from "./types";

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (v1 > v1beta2 > v1beta1 > v1alpha1). */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0] as const;
    const stage = m[2] === "alpha" ? 1 : m[2] === "beta" ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)] as const;
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}

export interface GroupVersions {
  group: string;
  /** Most preferred first. */
  versions: string[];
}

export class ResourceRegistry {
  readonly types: ResourceType[];
  /** The CRD objects to seed into each cluster's store. */
  readonly crdObjects: KubeObject[];

  constructor(types: ResourceType[], crdObjects: KubeObject[] = []) {
    this.types = types;
    this.crdObjects = crdObjects;
  }

  /** Built-in kinds plus every CRD under sim/kube/crds. */
  static standard(cacheDir?: string): ResourceRegistry {
    const crds = loadCrdDocuments(cacheDir);
    return new ResourceRegistry(
      [...builtinTypes, ...crds.map(resourceTypeFromCrd)],
      crds.map(crdObject),
    );
  }

  /** Version-independent identity used for storage keys. */
  static key(type: ResourceType): string {
    return `${type.group}/${type.plural}`;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find(
      (t) => t.group === group && t.version === version && t.plural === plural,
    );
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.types.some((t) => t.group === group && t.version === version);
  }

  groupVersions(): GroupVersions[] {
    const byGroup = new Map<string, Set<string>>();
    for (const t of this.types) {
      if (!byGroup.has(t.group)) byGroup.set(t.group, new Set());
      byGroup.get(t.group)!.add(t.version);
    }
    return [...byGroup.entries()].map(([group, versions]) => ({
      group,
      versions: [...versions].sort(compareKubeVersions),
    }));
  }

  /** Resolves `{apiVersion, kind}` or a name kubectl would accept: "pipelineruns.tekton.dev", "pipelinerun", "pr", "PipelineRun". */
  resolve(ref: KindRef): ResourceType {
    let found: ResourceType | undefined;
    if (typeof ref === "string") {
      const dot = ref.indexOf(".");
      const name = dot >= 0 ? ref.slice(0, dot) : ref;
      const group = dot >= 0 ? ref.slice(dot + 1) : undefined;
      const lower = name.toLowerCase();
      found = this.types.find(
        (t) =>
          (group === undefined || t.group === group) &&
          (t.plural === lower ||
            t.singular === lower ||
            t.kind === name ||
            t.shortNames.includes(lower)),
      );
    } else {
      found = this.types.find((t) => t.apiVersion === ref.apiVersion && t.kind === ref.kind);
    }
    if (!found) {
      const what = typeof ref === "string" ? ref : `${ref.kind} in ${ref.apiVersion}`;
      throw new KubeError(404, "NotFound", `the server doesn't have a resource type "${what}"`, {});
    }
    return found;
  }
}
