// Server-side printing (meta.k8s.io/v1 Table) for `kubectl get`: CRD printer columns and the built-in printers we serve.
import { evaluateJsonPath } from "./jsonpath";
import type { KubeObject, PrinterColumn, ResourceType } from "./types";

interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;

const col = (
  name: string,
  type = "string",
  priority = 0,
  format = "",
  description = "",
): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});

const NAME = col("Name", "string", 0, "name", "Name must be unique within a namespace.");
const AGE = col(
  "Age",
  "date",
  0,
  "",
  "CreationTimestamp is a timestamp representing the server time when this object was created.",
);

/** duration.HumanDuration from k8s.io/apimachinery. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8)
    return days % 365 === 0 ? `${days / 365}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function age(ts: unknown, now: Date): string {
  if (typeof ts !== "string") return "<unknown>";
  const t = Date.parse(ts);
  return Number.isNaN(t) ? "<invalid>" : humanDuration(now.getTime() - t);
}

function get(obj: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (acc, k) =>
      typeof acc === "object" && acc !== null ? (acc as Record<string, unknown>)[k] : undefined,
    obj,
  );
}

function customCell(c: PrinterColumn, obj: KubeObject, now: Date): Cell {
  const results = evaluateJsonPath(c.jsonPath, obj);
  if (results.length === 0 || results[0] === null || results[0] === undefined) return null;
  const v = results[0];
  switch (c.type) {
    case "date":
      return age(v, now);
    case "integer":
    case "number":
      return typeof v === "number" ? v : null;
    case "boolean":
      return typeof v === "boolean" ? v : null;
    default:
      return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
}

function podCells(pod: KubeObject, now: Date): Cell[] {
  const containers = (get(pod, "spec", "containers") as unknown[] | undefined) ?? [];
  const statuses =
    (get(pod, "status", "containerStatuses") as Record<string, unknown>[] | undefined) ?? [];
  const ready = statuses.filter((s) => s.ready === true).length;
  const restarts = statuses.reduce(
    (n, s) => n + (typeof s.restartCount === "number" ? s.restartCount : 0),
    0,
  );
  let reason = String(get(pod, "status", "reason") ?? get(pod, "status", "phase") ?? "Unknown");
  for (const s of statuses) {
    const waiting = get(s, "state", "waiting", "reason");
    const terminated = get(s, "state", "terminated", "reason");
    if (typeof waiting === "string") reason = waiting;
    else if (typeof terminated === "string" && reason !== "Running") reason = terminated;
  }
  if (pod.metadata.deletionTimestamp) reason = "Terminating";
  const none = (v: unknown) => (typeof v === "string" && v ? v : "<none>");
  return [
    pod.metadata.name ?? "",
    `${ready}/${containers.length}`,
    reason,
    String(restarts),
    age(pod.metadata.creationTimestamp, now),
    none(get(pod, "status", "podIP")),
    none(get(pod, "spec", "nodeName")),
    "<none>",
    "<none>",
  ];
}

function eventCells(ev: KubeObject, now: Date): Cell[] {
  const last = get(ev, "lastTimestamp") ?? get(ev, "eventTime") ?? ev.metadata.creationTimestamp;
  const io = (get(ev, "involvedObject") ?? {}) as Record<string, unknown>;
  return [
    age(last, now),
    String(get(ev, "type") ?? ""),
    String(get(ev, "reason") ?? ""),
    `${String(io.kind ?? "").toLowerCase()}/${String(io.name ?? "")}`,
    String(io.fieldPath ?? ""),
    String(get(ev, "source", "component") ?? get(ev, "reportingComponent") ?? ""),
    String(get(ev, "message") ?? ""),
    age(get(ev, "firstTimestamp") ?? ev.metadata.creationTimestamp, now),
    Number(get(ev, "count") ?? 1),
    ev.metadata.name ?? "",
  ];
}

function columnsFor(type: ResourceType): ColumnDefinition[] {
  switch (type.kind) {
    case "Pod":
      if (type.group) break;
      return [
        NAME,
        col("Ready"),
        col("Status"),
        col("Restarts"),
        col("Age"),
        col("IP", "string", 1),
        col("Node", "string", 1),
        col("Nominated Node", "string", 1),
        col("Readiness Gates", "string", 1),
      ];
    case "Event":
      if (type.group) break;
      return [
        col("Last Seen"),
        col("Type"),
        col("Reason"),
        col("Object"),
        col("Subobject", "string", 1),
        col("Source", "string", 1),
        col("Message"),
        col("First Seen", "string", 1),
        col("Count", "integer", 1),
        col("Name", "string", 1, "name"),
      ];
    case "Namespace":
      if (type.group) break;
      return [NAME, col("Status"), col("Age")];
  }
  if (type.printerColumns.length === 0) return [NAME, AGE];
  return [
    NAME,
    ...type.printerColumns.map((c) =>
      col(c.name, c.type, c.priority ?? 0, c.format ?? "", c.description ?? ""),
    ),
  ];
}

function cellsFor(type: ResourceType, obj: KubeObject, now: Date): Cell[] {
  if (!type.group && type.kind === "Pod") return podCells(obj, now);
  if (!type.group && type.kind === "Event") return eventCells(obj, now);
  if (!type.group && type.kind === "Namespace") {
    return [
      obj.metadata.name ?? "",
      String(get(obj, "status", "phase") ?? ""),
      age(obj.metadata.creationTimestamp, now),
    ];
  }
  if (type.kind === "CustomResourceDefinition")
    return [obj.metadata.name ?? "", obj.metadata.creationTimestamp ?? null];
  if (type.printerColumns.length === 0)
    return [obj.metadata.name ?? "", age(obj.metadata.creationTimestamp, now)];
  return [obj.metadata.name ?? "", ...type.printerColumns.map((c) => customCell(c, obj, now))];
}

export type IncludeObject = "None" | "Metadata" | "Object";

export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  opts: { includeObject?: string; now: Date; listMeta?: Record<string, unknown> },
) {
  const include = (opts.includeObject ?? "Metadata") as IncludeObject;
  const rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: cellsFor(type, obj, opts.now) };
    if (include === "Object") row.object = obj;
    else if (include !== "None") {
      row.object = {
        kind: "PartialObjectMetadata",
        apiVersion: "meta.k8s.io/v1",
        metadata: obj.metadata,
      };
    }
    return row;
  });
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: opts.listMeta ?? { resourceVersion: objects[0]?.metadata.resourceVersion ?? "" },
    columnDefinitions: columnsFor(type),
    rows,
  };
}

/** The response form an Accept header asks for: a Table, partial metadata, or the plain object. */
export function negotiateAs(
  accept: string | undefined,
): "Table" | "PartialObjectMetadata" | undefined {
  for (const part of (accept ?? "").split(",")) {
    const params = new Map(
      part
        .split(";")
        .slice(1)
        .map((p) => p.trim().split("=") as [string, string]),
    );
    if (params.get("g") !== "meta.k8s.io") continue;
    const as = params.get("as");
    if (as === "Table") return "Table";
    if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList")
      return "PartialObjectMetadata";
  }
  return undefined;
}
