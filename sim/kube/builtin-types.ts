// Built-in resources the simulator serves besides the CRDs: core v1 Namespace, Pod, Event, and the CRDs themselves.
import { STANDARD_VERBS } from "./crds";
import { invalid, type StatusCause } from "./status-errors";
import type { KubeObject, ResourceType } from "./types";

function at(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

export const namespaceType: ResourceType = {
  group: "",
  version: "v1",
  apiVersion: "v1",
  kind: "Namespace",
  listKind: "NamespaceList",
  plural: "namespaces",
  singular: "namespace",
  namespaced: false,
  shortNames: ["ns"],
  categories: [],
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  subresources: { status: true, log: false },
  printerColumns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }],
  custom: false,
  extraFieldSelectors: { "status.phase": (o) => str(at(o, "status", "phase")) },
};

export const podType: ResourceType = {
  group: "",
  version: "v1",
  apiVersion: "v1",
  kind: "Pod",
  listKind: "PodList",
  plural: "pods",
  singular: "pod",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  verbs: STANDARD_VERBS,
  subresources: { status: true, log: true },
  printerColumns: [],
  custom: false,
  extraFieldSelectors: {
    "spec.nodeName": (o) => str(at(o, "spec", "nodeName")),
    "spec.restartPolicy": (o) => str(at(o, "spec", "restartPolicy")),
    "spec.schedulerName": (o) => str(at(o, "spec", "schedulerName")),
    "spec.serviceAccountName": (o) => str(at(o, "spec", "serviceAccountName")),
    "status.phase": (o) => str(at(o, "status", "phase")),
    "status.podIP": (o) => str(at(o, "status", "podIP")),
    "status.nominatedNodeName": (o) => str(at(o, "status", "nominatedNodeName")),
  },
};

const eventField =
  (...keys: string[]) =>
  (o: KubeObject) =>
    str(at(o, ...keys));

export const eventType: ResourceType = {
  group: "",
  version: "v1",
  apiVersion: "v1",
  kind: "Event",
  listKind: "EventList",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  categories: [],
  verbs: STANDARD_VERBS,
  subresources: { status: false, log: false },
  printerColumns: [],
  custom: false,
  extraFieldSelectors: {
    "involvedObject.kind": eventField("involvedObject", "kind"),
    "involvedObject.namespace": eventField("involvedObject", "namespace"),
    "involvedObject.name": eventField("involvedObject", "name"),
    "involvedObject.uid": eventField("involvedObject", "uid"),
    "involvedObject.apiVersion": eventField("involvedObject", "apiVersion"),
    "involvedObject.resourceVersion": eventField("involvedObject", "resourceVersion"),
    "involvedObject.fieldPath": eventField("involvedObject", "fieldPath"),
    reason: eventField("reason"),
    reportingComponent: eventField("reportingComponent"),
    source: eventField("source", "component"),
    type: eventField("type"),
  },
};

/** Served read-only: the simulator's CRDs are fixed at start. */
export const crdType: ResourceType = {
  group: "apiextensions.k8s.io",
  version: "v1",
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  listKind: "CustomResourceDefinitionList",
  plural: "customresourcedefinitions",
  singular: "customresourcedefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  verbs: ["get", "list", "watch"],
  subresources: { status: false, log: false },
  printerColumns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
  custom: false,
};

export const builtinTypes: ResourceType[] = [namespaceType, podType, eventType, crdType];

/** Fills the fields the real registry strategy sets on create (PrepareForCreate). */
export function prepareBuiltinCreate(
  type: ResourceType,
  obj: KubeObject,
  keepStatus: boolean,
): void {
  if (type === namespaceType) {
    obj.spec = { finalizers: ["kubernetes"], ...(obj.spec as object | undefined) };
    if (!keepStatus) obj.status = { phase: "Active" };
  } else if (type === podType && !keepStatus) {
    obj.status = { phase: "Pending", qosClass: "BestEffort" };
  }
}

/** The validation the real apiserver does for the built-in kinds we serve, reduced to what matters here. */
export function validateBuiltin(type: ResourceType, obj: KubeObject): void {
  const causes: StatusCause[] = [];
  if (type === podType) {
    const containers = at(obj, "spec", "containers");
    if (!Array.isArray(containers) || containers.length === 0) {
      causes.push({
        reason: "FieldValueRequired",
        field: "spec.containers",
        message: "Required value",
      });
    } else {
      containers.forEach((c, i) => {
        if (typeof at(c, "name") !== "string" || !at(c, "name")) {
          causes.push({
            reason: "FieldValueRequired",
            field: `spec.containers[${i}].name`,
            message: "Required value",
          });
        }
        if (typeof at(c, "image") !== "string" || !at(c, "image")) {
          causes.push({
            reason: "FieldValueRequired",
            field: `spec.containers[${i}].image`,
            message: "Required value",
          });
        }
      });
    }
  } else if (type === eventType) {
    if (!at(obj, "involvedObject")) {
      causes.push({
        reason: "FieldValueRequired",
        field: "involvedObject",
        message: "Required value",
      });
    }
  }
  if (causes.length) throw invalid(type, obj.metadata.name ?? "", causes);
}
