// Which objects a list or watch selects (resource, namespace, label and field selectors), and how a
// change looks to a filtered watch (an object leaving the selection is a DELETED for that watcher).
import type { StoredEvent } from "./history";
import { ResourceRegistry } from "./registry";
import {
  type FieldRequirement,
  type LabelRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from "./selectors";
import { badRequest } from "./status-errors";
import type { KubeObject, ResourceType, WatchEvent } from "./types";

export interface SelectOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectFilter {
  type?: ResourceType;
  typeKey?: string;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

export function makeFilter(type: ResourceType | undefined, opts: SelectOptions): ObjectFilter {
  const fields = parseFieldSelector(opts.fieldSelector ?? "");
  for (const f of fields) {
    const known =
      f.field === "metadata.name" ||
      f.field === "metadata.namespace" ||
      type?.extraFieldSelectors?.[f.field];
    if (!known) throw badRequest(`field label not supported: ${f.field}`);
  }
  return {
    type,
    typeKey: type ? ResourceRegistry.key(type) : undefined,
    namespace: opts.namespace || undefined,
    labels: parseLabelSelector(opts.labelSelector ?? ""),
    fields,
  };
}

function fieldValue(filter: ObjectFilter, obj: KubeObject, field: string): string | undefined {
  if (field === "metadata.name") return obj.metadata.name;
  if (field === "metadata.namespace") return obj.metadata.namespace ?? "";
  return filter.type?.extraFieldSelectors?.[field]?.(obj);
}

export function matchesFilter(filter: ObjectFilter, obj: KubeObject): boolean {
  if (filter.namespace !== undefined && (obj.metadata.namespace ?? "") !== filter.namespace)
    return false;
  return (
    matchesLabels(filter.labels, obj.metadata.labels) &&
    matchesFields(filter.fields, (f) => fieldValue(filter, obj, f))
  );
}

/** The event a watcher with this filter sees for a stored event, if any. */
export function projectEvent(filter: ObjectFilter, ev: StoredEvent): WatchEvent | undefined {
  if (filter.typeKey !== undefined && ev.typeKey !== filter.typeKey) return undefined;
  const now = matchesFilter(filter, ev.object);
  if (ev.type === "ADDED") return now ? { type: "ADDED", object: ev.object } : undefined;
  if (ev.type === "DELETED") return now ? { type: "DELETED", object: ev.object } : undefined;
  const before = ev.prev ? matchesFilter(filter, ev.prev) : false;
  if (now && before) return { type: "MODIFIED", object: ev.object };
  if (now) return { type: "ADDED", object: ev.object };
  if (before) return { type: "DELETED", object: ev.object };
  return undefined;
}
