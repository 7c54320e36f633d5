// One Harbor artifact as observations: the `image` stage (it is in the registry) and the `scan`
// stage (the scan's own run; what it found goes in details, never in the status).
import { reportSummarySchema, type ReportSummary } from "./harbor-schema";
import { isoTime } from "./refs";
import {
  emptyLabels,
  isFinished,
  type GitRevision,
  type ImageRef,
  type Observation,
  type ScanCounts,
  type Status,
} from "./types";
import { isRecord } from "./values";

/** scan_status → stage status. Success is `succeeded` whatever the scan found. */
export function scanStatus(scanStatusValue: string | null | undefined): Status {
  switch (scanStatusValue) {
    case "Pending":
    case "Scheduled":
      return "pending";
    case "Running":
      return "running";
    case "Success":
      return "succeeded";
    case "Error":
      return "failed";
    case "Stopped":
      return "cancelled";
    default:
      return "unknown";
  }
}

/** The vulnerability report in a scan_overview (keyed by MIME type; SBOM entries are skipped). */
export function vulnerabilityReport(
  overview: Record<string, unknown> | null | undefined,
): ReportSummary | null {
  for (const [mime, value] of Object.entries(overview ?? {})) {
    if (!/vuln/i.test(mime) || !isRecord(value)) continue;
    const parsed = reportSummarySchema.safeParse(value);
    if (parsed.success) return parsed.data;
  }
  return null;
}

function counts(report: ReportSummary): ScanCounts | null {
  const s = report.summary?.summary;
  if (!report.summary || !s) return null;
  const n = (k: string) => s[k] ?? 0;
  // The API's counts have no "negligible" bucket; Harbor ranks it just below Low.
  return {
    critical: n("Critical"),
    high: n("High"),
    medium: n("Medium"),
    low: n("Low") + n("Negligible"),
    unknown: n("Unknown"),
  };
}

export interface Target {
  repository: string; // project/repo, may hold further "/"
  project: string | null;
  digest: string;
  tags: string[];
  ref: ImageRef;
}

function harborIdentity(kind: "Artifact" | "Scan", t: Target) {
  const name = `${t.repository}@${t.digest}`;
  return {
    key: `harbor:${kind}:${name}`,
    system: "harbor" as const,
    kind,
    apiVersion: null,
    namespace: t.project,
    name,
    uid: null,
    resourceVersion: null,
    repository: t.repository,
  };
}

function keys(t: Target, revision: GitRevision | null) {
  return {
    revision,
    digests: [t.digest],
    imageRefs: [t.ref],
    manifestsRevisions: [],
    labels: emptyLabels(),
    parent: null,
    appHints: [t.repository.split("/").pop() ?? t.repository],
    environment: null,
  };
}

/** `fallback` is the status when there is no report; `eventAt` stands in for a missing end_time. */
export function scanObservation(
  t: Target,
  report: ReportSummary | null,
  fallback: Status,
  eventAt: string | null,
): Observation {
  const status = report ? scanStatus(report.scan_status) : fallback;
  const final = isFinished(status);
  const scanner = report?.scanner;
  return {
    ...harborIdentity("Scan", t),
    stage: "scan",
    status,
    reason: report?.scan_status ?? null,
    message: null,
    startedAt: isoTime(report?.start_time),
    finishedAt: final ? (isoTime(report?.end_time) ?? eventAt) : null,
    ...keys(t, null),
    details: {
      type: "scan",
      repository: t.repository,
      digest: t.digest,
      scanner: scanner
        ? {
            name: scanner.name ?? null,
            vendor: scanner.vendor ?? null,
            version: scanner.version ?? null,
          }
        : null,
      severity: report?.severity ? report.severity.toLowerCase() : null,
      counts: report ? counts(report) : null,
      total: report?.summary?.total ?? null,
      fixable: report?.summary?.fixable ?? null,
      reportId: report?.report_id ?? null,
      completePercent: report?.complete_percent ?? null,
    },
  };
}

export function imageObservation(
  t: Target,
  extra: {
    pushedAt: string | null;
    signed: boolean | null;
    deleted: boolean;
    operator: string | null;
    revision: GitRevision | null;
  },
): Observation {
  return {
    ...harborIdentity("Artifact", t),
    stage: "image",
    status: "succeeded", // in the registry (or was: a delete keeps the stage, marks details.deleted)
    reason: extra.deleted ? "deleted" : null,
    message: null,
    startedAt: extra.pushedAt,
    finishedAt: extra.pushedAt,
    ...keys(t, extra.revision),
    details: {
      type: "image",
      repository: t.repository,
      digest: t.digest,
      tags: t.tags,
      pushedAt: extra.pushedAt,
      signed: extra.signed,
      deleted: extra.deleted,
      operator: extra.operator,
    },
  };
}
