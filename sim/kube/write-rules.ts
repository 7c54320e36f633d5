// The per-write rules of the apiserver's registry strategies: type metadata, scope, create and update preparation.
import { randomUUID } from "node:crypto";
import { namespaceType, prepareBuiltinCreate, validateBuiltin } from "./builtin-types";
import {
  kubeTime,
  needsNewGeneration,
  randomSuffix,
  sanitizeMetadata,
  validateMetadata,
} from "./object-meta";
import { pruneAndDefault, validateAgainstSchema } from "./schema";
import { PatchError, applyJsonPatch, applyMergePatch, asJsonPatch } from "./patch";
import { applyStrategicMergePatch } from "./strategic-merge";
import {
  KubeError,
  badRequest,
  conflict,
  internalError,
  invalid,
  unsupportedMediaType,
} from "./status-errors";
import type { PatchType } from "./store-types";
import type { KubeObject, ObjectMeta, ResourceType } from "./types";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** apiVersion/kind must name the endpoint's resource; custom resources must carry both, built-ins get them filled. */
export function checkTypeMeta(type: ResourceType, obj: Record<string, unknown>): void {
  if (!obj.kind || !obj.apiVersion) {
    if (type.custom) {
      const missing = !obj.kind ? "Kind" : "APIVersion";
      throw badRequest(`Object '${missing}' is missing in '${JSON.stringify(obj).slice(0, 200)}'`);
    }
    obj.apiVersion ??= type.apiVersion;
    obj.kind ??= type.kind;
  }
  if (obj.apiVersion !== type.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${type.apiVersion})`,
    );
  }
  if (obj.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
}

/** The namespace a write lands in: the URL's wins, a different one in the body is a 400. */
export function scopeNamespace(
  type: ResourceType,
  fromRequest: string | undefined,
  fromBody: string | undefined,
): string {
  if (!type.namespaced) return "";
  if (fromRequest && fromBody && fromRequest !== fromBody) {
    throw badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  const ns = fromRequest || fromBody;
  if (!ns) throw badRequest("an empty namespace may not be set during creation");
  return ns;
}

/** Orders keys like the apiserver's output: apiVersion, kind, metadata, then the rest. */
export function ordered(obj: Record<string, unknown>, meta: ObjectMeta): KubeObject {
  const { apiVersion, kind, ...rest } = obj;
  delete rest.metadata;
  return { apiVersion: apiVersion as string, kind: kind as string, metadata: meta, ...rest };
}

/** Prunes, defaults and validates the body (custom resources by their schema, built-ins by hand). */
export function validateBody(type: ResourceType, obj: KubeObject): void {
  const nameKind = type === namespaceType ? "label" : "subdomain";
  const metaCauses = validateMetadata(obj.metadata, nameKind);
  if (metaCauses.length) throw invalid(type, obj.metadata.name ?? "", metaCauses);
  if (type.schema) {
    pruneAndDefault(obj, type.schema);
    const causes = validateAgainstSchema(type.schema, obj);
    if (causes.length) throw invalid(type, obj.metadata.name ?? "", causes);
  } else if (!type.custom) {
    validateBuiltin(type, obj);
  }
}

export interface CreateRules {
  namespace?: string;
  keepStatus?: boolean;
  now: Date;
}

/** PrepareForCreate + validation: a fresh object ready to store (resourceVersion is set by the store). */
export function prepareCreate(type: ResourceType, input: unknown, rules: CreateRules): KubeObject {
  if (!isObject(input)) throw badRequest("the body of the request must be a JSON object");
  const obj = structuredClone(input);
  checkTypeMeta(type, obj);
  const meta = sanitizeMetadata(obj.metadata);
  if (meta.resourceVersion)
    throw internalError("resourceVersion should not be set on objects to be created");
  if (!type.namespaced) delete meta.namespace;
  else meta.namespace = scopeNamespace(type, rules.namespace, meta.namespace);
  if (!meta.name && typeof meta.generateName === "string" && meta.generateName) {
    meta.name = meta.generateName.slice(0, 58) + randomSuffix();
  }
  for (const k of [
    "uid",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "generation",
  ]) {
    delete meta[k];
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = kubeTime(rules.now);
  if (type.custom) meta.generation = 1;
  if (type.subresources.status && !rules.keepStatus && type.custom) delete obj.status;
  const out = ordered(obj, meta);
  if (!type.custom) prepareBuiltinCreate(type, out, rules.keepStatus ?? false);
  validateBody(type, out);
  return out;
}

export interface UpdateRules {
  subresource?: "status";
  /** Patches start from the stored object, so a missing resourceVersion is never "unconditional". */
  fromPatch?: boolean;
}

/** PrepareForUpdate + preconditions + validation; returns the object to store (resourceVersion still the old one). */
export function prepareUpdate(
  type: ResourceType,
  existing: KubeObject,
  input: unknown,
  rules: UpdateRules,
): KubeObject {
  if (!isObject(input)) throw badRequest("the body of the request must be a JSON object");
  const obj = structuredClone(input);
  checkTypeMeta(type, obj);
  const meta = sanitizeMetadata(obj.metadata);
  const old = existing.metadata;
  const name = old.name ?? "";
  if (meta.name !== undefined && meta.name !== name) {
    throw badRequest(
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
    );
  }
  if (type.namespaced && meta.namespace && meta.namespace !== old.namespace) {
    throw badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  if (meta.resourceVersion) {
    if (meta.resourceVersion !== old.resourceVersion) throw conflict(type, name);
  } else if (type.custom && !rules.fromPatch) {
    throw invalid(type, name, [
      {
        reason: "FieldValueInvalid",
        field: "metadata.resourceVersion",
        message: "Invalid value: 0x0: must be specified for an update",
      },
    ]);
  }
  if (meta.uid && meta.uid !== old.uid) {
    throw conflict(
      type,
      name,
      `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${String(old.uid)}`,
    );
  }

  let next: KubeObject;
  if (rules.subresource === "status") {
    next = structuredClone(existing);
    if ("status" in obj) next.status = obj.status;
    else delete next.status;
  } else {
    const keep: ObjectMeta = {
      ...meta,
      name: old.name,
      uid: old.uid,
      creationTimestamp: old.creationTimestamp,
      resourceVersion: old.resourceVersion,
    };
    if (type.namespaced) keep.namespace = old.namespace;
    delete keep.generation;
    delete keep.deletionTimestamp;
    if (old.generation !== undefined) keep.generation = old.generation;
    if (old.deletionTimestamp !== undefined) keep.deletionTimestamp = old.deletionTimestamp;
    delete keep.generateName;
    if (old.generateName !== undefined) keep.generateName = old.generateName;
    next = ordered(obj, keep);
    if (type.subresources.status) {
      if (existing.status !== undefined) next.status = structuredClone(existing.status);
      else delete next.status;
    }
  }
  next.metadata.resourceVersion = old.resourceVersion;
  validateBody(type, next);
  if (
    type.custom &&
    rules.subresource !== "status" &&
    needsNewGeneration(existing, next, type.subresources.status)
  ) {
    next.metadata.generation = (old.generation ?? 0) + 1;
  }
  return next;
}

/**
 * Applies a patch document to the stored object. Strategic merge patch is refused for custom
 * resources (415, as the apiserver does); server-side apply is not simulated (415).
 */
export function applyPatchDocument(
  type: ResourceType,
  existing: KubeObject,
  patchType: PatchType,
  patch: unknown,
): unknown {
  if (patchType === "apply" || (patchType === "strategic" && type.custom)) {
    const accepted = ["application/json-patch+json", "application/merge-patch+json"];
    if (!type.custom) accepted.push("application/strategic-merge-patch+json");
    const ct =
      patchType === "apply"
        ? "application/apply-patch+yaml"
        : "application/strategic-merge-patch+json";
    throw unsupportedMediaType(ct, accepted);
  }
  try {
    if (patchType === "json") return applyJsonPatch(existing, asJsonPatch(patch));
    if (!isObject(patch)) throw new PatchError("the patch must be a JSON object", true);
    if (patchType === "strategic") return applyStrategicMergePatch(existing, patch);
    return applyMergePatch(existing, patch);
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    if (err.malformed) throw badRequest(err.message);
    throw new KubeError(
      422,
      "Invalid",
      "the server rejected our request due to an error in our request",
      {
        causes: [{ reason: "UnexpectedServerResponse", message: err.message }],
      },
    );
  }
}
