// Validating admission for the simulated apiserver: hooks per resource ("plural.group") see an
// update or patch as the request's user (Impersonate-* applied) with the old and the new object,
// and deny it by throwing a KubeError. Only HTTP writes pass through them, like a real webhook.
import type { KubeObject, RequestUser, ResourceType } from "./types";

export interface AdmissionRequest {
  cluster: string;
  verb: "update" | "patch";
  type: ResourceType;
  subresource?: string;
  user: RequestUser;
  oldObject: KubeObject;
  object: KubeObject;
}

export type AdmissionHook = (request: AdmissionRequest) => void;

export class Admission {
  private readonly hooks = new Map<string, AdmissionHook[]>();

  private static key(type: ResourceType): string {
    return type.group ? `${type.plural}.${type.group}` : type.plural;
  }

  add(resource: string, hook: AdmissionHook): void {
    this.hooks.set(resource, [...(this.hooks.get(resource) ?? []), hook]);
  }

  has(type: ResourceType): boolean {
    return this.hooks.has(Admission.key(type));
  }

  review(request: AdmissionRequest): void {
    for (const hook of this.hooks.get(Admission.key(request.type)) ?? []) hook(request);
  }
}
