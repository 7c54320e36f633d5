// Shapes shared by the Kubernetes API simulator: objects, resource types, watch events.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Record<string, unknown>[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | Record<string, unknown>;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** One served resource (group/version/plural) and everything the server needs to know about it. */
export interface ResourceType {
  group: string;
  version: string;
  /** "v1" for the core group, "group/version" otherwise. */
  apiVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Verbs the HTTP API allows on this resource. */
  verbs: string[];
  subresources: { status: boolean; log: boolean };
  printerColumns: PrinterColumn[];
  /** openAPIV3Schema from the CRD, when the resource is a custom resource. */
  schema?: Record<string, unknown>;
  /** True for CRD-backed resources (strict apiVersion/kind, no unconditional update). */
  custom: boolean;
  /** Field selectors accepted besides metadata.name and metadata.namespace. */
  extraFieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
}

/** Identifies a resource in the in-process API: `{ apiVersion, kind }`, or "plural.group" / "plural" / "Kind". */
export type KindRef = { apiVersion: string; kind: string } | string;

export interface RequestUser {
  user: string;
  groups: string[];
  /** The authenticated user when the request impersonates `user`. */
  impersonatedBy?: string;
}
