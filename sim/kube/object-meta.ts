// ObjectMeta rules the apiserver applies to every write: allowed fields, names, labels, generation.
import { randomBytes } from "node:crypto";
import { deepEqual } from "./patch";
import { isValidLabelKey, isValidLabelValue } from "./selectors";
import type { StatusCause } from "./status-errors";
import type { KubeObject, ObjectMeta } from "./types";

const META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** RFC 3339 with whole seconds, the way metav1.Time serializes. */
export function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}

/** What names.SimpleNameGenerator appends to generateName. */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join("");
}

/** Keeps only ObjectMeta fields and drops empty labels/annotations maps, as decoding into ObjectMeta would. */
export function sanitizeMetadata(meta: unknown): ObjectMeta {
  const out: ObjectMeta = {};
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return out;
  for (const [k, v] of Object.entries(meta)) {
    if (META_FIELDS.has(k) && v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

export function validateName(name: string, kind: "subdomain" | "label"): string | undefined {
  const max = kind === "label" ? 63 : 253;
  const re = kind === "label" ? DNS_LABEL : DNS_SUBDOMAIN;
  if (name.length > max) return `must be no more than ${max} characters`;
  if (re.test(name)) return undefined;
  return kind === "label"
    ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
}

/** ValidateObjectMeta, reduced: name, labels, annotations and the shapes of list fields. */
export function validateMetadata(meta: ObjectMeta, nameKind: "subdomain" | "label"): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!meta.name) {
    causes.push({
      reason: "FieldValueRequired",
      field: "metadata.name",
      message: "Required value: name or generateName is required",
    });
  } else {
    const why = validateName(meta.name, nameKind);
    if (why)
      causes.push({
        reason: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: ${JSON.stringify(meta.name)}: ${why}`,
      });
  }
  for (const [field, map] of [
    ["labels", meta.labels],
    ["annotations", meta.annotations],
  ] as const) {
    if (map === undefined) continue;
    if (typeof map !== "object" || Array.isArray(map)) {
      causes.push({
        reason: "FieldValueInvalid",
        field: `metadata.${field}`,
        message: "Invalid value: must be a map of strings",
      });
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      if (!isValidLabelKey(k)) {
        causes.push({
          reason: "FieldValueInvalid",
          field: `metadata.${field}`,
          message: `Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        });
      }
      if (typeof v !== "string") {
        causes.push({
          reason: "FieldValueTypeInvalid",
          field: `metadata.${field}.${k}`,
          message: `Invalid value: ${JSON.stringify(v)}: must be a string`,
        });
      } else if (field === "labels" && !isValidLabelValue(v)) {
        causes.push({
          reason: "FieldValueInvalid",
          field: `metadata.labels`,
          message: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        });
      }
    }
  }
  if (meta.finalizers !== undefined && !Array.isArray(meta.finalizers)) {
    causes.push({
      reason: "FieldValueTypeInvalid",
      field: "metadata.finalizers",
      message: "Invalid value: must be a list of strings",
    });
  }
  if (meta.ownerReferences !== undefined && !Array.isArray(meta.ownerReferences)) {
    causes.push({
      reason: "FieldValueTypeInvalid",
      field: "metadata.ownerReferences",
      message: "Invalid value: must be a list",
    });
  }
  return causes;
}

/** metadata.generation moves when anything but metadata (and status, when it is a subresource) changes. */
export function needsNewGeneration(
  oldObj: KubeObject,
  newObj: KubeObject,
  statusIsSubresource: boolean,
): boolean {
  const strip = (o: KubeObject) => {
    const rest: Record<string, unknown> = { ...o };
    delete rest.metadata;
    delete rest.apiVersion;
    delete rest.kind;
    if (statusIsSubresource) delete rest.status;
    return rest;
  };
  return !deepEqual(strip(oldObj), strip(newObj));
}
