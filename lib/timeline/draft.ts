// What every stage builder shares: the Draft (a Stage before attempts and durations are known)
// and safe readers over the stored rows, whose JSON columns are trusted only as far as checked.
import { STATUSES, type Observation, type Stage, type Status } from "@/lib/sources/types";
import type { LinkRow, ResourceRow, TimelineStage } from "./types";
import { describeLink, shortRef } from "./linked-by";
import { PER_ENVIRONMENT } from "./summary";

/** A stage before assembly numbers its attempts and measures it. */
export interface Draft extends Omit<
  TimelineStage,
  "attempt" | "attempts" | "latest" | "durationMs"
> {
  /** What repeats as attempts within (stage, environment): see summary.ts StageStatusInput.group. */
  group: string;
  /** Creation order (row ids): breaks ties between attempts and in the final ordering. */
  seq: number;
}

export type LinkLookup = (toType: "resource" | "artifact", toId: bigint) => LinkRow | undefined;

export function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function asStatus(v: string | null | undefined): Status {
  return (STATUSES as readonly string[]).includes(v ?? "") ? (v as Status) : "unknown";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The stored Observation, when it has the shape the normalizers write. */
export function asObservation(v: unknown): Observation | null {
  if (!isRecord(v) || !isRecord(v.details) || typeof v.details.type !== "string") return null;
  if (!isRecord(v.labels)) return null;
  return v as unknown as Observation;
}

/** A label (or annotation) of the raw Kubernetes object. */
export function objectLabel(object: unknown, name: string): string | null {
  const meta = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  for (const field of ["labels", "annotations"] as const) {
    const map = meta[field];
    const value = isRecord(map) ? map[name] : undefined;
    if (typeof value === "string" && value !== "") return value;
  }
  return null;
}

/** Which run a run re-runs: Shiplog's label, else the Tekton Dashboard's. */
export function rerunOf(object: unknown): string | null {
  return (
    objectLabel(object, "shiplog.dev/rerun-of") ??
    objectLabel(object, "dashboard.tekton.dev/rerunOf")
  );
}

/**
 * Deploy, verify and approval belong to an environment: the shiplog.dev/environment label, else the
 * store's (the cluster's mapping). Other stages name one only when labelled, so that a build in
 * a cluster mapped to "staging" is not shown as a staging stage.
 */
export function environmentOf(stage: Stage, row: ResourceRow, o: Observation): string | null {
  return PER_ENVIRONMENT.has(stage)
    ? (o.environment ?? row.environment ?? null)
    : (o.labels.environment ?? null);
}

/** "Linked by": the link's rule, else what the observation itself names (label, revision). */
export function linkedByOf(
  link: LinkRow | undefined,
  o: Observation | null,
  commitSha: string,
): string | null {
  if (link) return describeLink(link.rule, link.evidence);
  if (!o) return null;
  if (o.labels.commit) return describeLink("label", "shiplog.dev/commit");
  if (o.revision?.sha === commitSha) return `revision ${shortRef(o.revision.sha)}`;
  if (o.parent) return describeLink("parent", `${o.namespace ?? ""}/${o.parent.name}`);
  return null;
}

/** The fields every Kubernetes-backed stage fills the same way. */
export function resourceBase(
  row: ResourceRow,
  o: Observation,
  link: LinkRow | undefined,
  commitSha: string,
) {
  return {
    id: `resource-${row.id}`,
    status: asStatus(row.status),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    cluster: row.cluster,
    resource: {
      system: o.system,
      kind: row.kind,
      namespace: row.namespace,
      name: row.name,
      // An Application's row uid is "<uid>@<revision>"; the API names the Kubernetes object.
      uid: o.uid ?? row.uid,
    },
    linkedBy: linkedByOf(link, o, commitSha),
    reason: row.reason,
    message: o.message,
    rerunOf: rerunOf(row.object),
    deleted: row.deletedAt !== null,
    seq: Number(row.id),
  };
}
