// Scan report summaries (NativeReportSummary) from a scan report, following Harbor's
// GenerateNativeSummary (src/pkg/scan/report/summary.go): the REST API form and the webhook form.
import { apiTime, goTime, unixSeconds } from "./time";
import type {
  NativeReportSummaryJson,
  ScanReport,
  ScannerInfo,
  Severity,
  SeverityCounts,
  VulnerabilitySummaryJson,
  WebhookReportSummary,
} from "./types";

/** The MIME type Trivy's reports (and the webhook scan_overview) are keyed by. */
export const VULN_REPORT_MIME = "application/vnd.security.vulnerability.report; version=1.1";
/** The older native report MIME type, still accepted in X-Accept-Vulnerabilities. */
export const NATIVE_REPORT_MIME =
  "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
/** go-swagger's default for the X-Accept-Vulnerabilities header (swagger parameters.acceptVulnerabilities). */
export const DEFAULT_ACCEPT_VULNERABILITIES = `${VULN_REPORT_MIME}, ${NATIVE_REPORT_MIME}`;

/**
 * The scan_overview key for a request, as parseScanReportMimeTypes picks it: the first
 * supported type in X-Accept-Vulnerabilities; the swagger default when the header is absent;
 * the native type when the header names nothing supported.
 */
export function overviewMimeType(header: string | undefined): string {
  const value = header ?? DEFAULT_ACCEPT_VULNERABILITIES;
  const supported = value
    .split(",")
    .map((m) => m.trim())
    .filter((m) => m === VULN_REPORT_MIME || m === NATIVE_REPORT_MIME);
  return supported[0] ?? NATIVE_REPORT_MIME;
}

const SEVERITY_ORDER: Array<[keyof SeverityCounts, Severity]> = [
  ["critical", "Critical"],
  ["high", "High"],
  ["medium", "Medium"],
  ["low", "Low"],
  ["unknown", "Unknown"],
];

export function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
}

/** The highest severity with findings; "None" for a clean image. */
export function overallSeverity(counts: SeverityCounts): Severity {
  for (const [key, severity] of SEVERITY_ORDER) if (counts[key] > 0) return severity;
  return "None";
}

/** {total, fixable, summary: {Critical: n, ...}}; only severities that occur are keyed. */
export function vulnerabilitySummary(
  counts: SeverityCounts,
  fixable: number,
): VulnerabilitySummaryJson {
  const summary: Partial<Record<Severity, number>> = {};
  let total = 0;
  for (const [key, severity] of SEVERITY_ORDER) {
    if (counts[key] > 0) summary[severity] = counts[key];
    total += counts[key];
  }
  return { total, fixable: Math.min(fixable, total), summary };
}

function durationSeconds(report: ScanReport): number {
  if (!report.endTime) return 0;
  return Math.max(0, unixSeconds(report.endTime) - unixSeconds(report.startTime));
}

/** The webhook form: Harbor's internal struct, so empty severity, null summary and zero
 * complete_percent are all sent; the scanner only once there is a report. */
export function webhookReportSummary(
  report: ScanReport,
  scanner: ScannerInfo,
): WebhookReportSummary {
  const counts = report.status === "Success" ? report.counts : null;
  return {
    report_id: report.reportId,
    scan_status: report.status,
    severity: counts ? overallSeverity(counts) : "",
    duration: durationSeconds(report),
    summary: counts ? vulnerabilitySummary(counts, report.fixable) : null,
    start_time: goTime(report.startTime),
    end_time: goTime(report.endTime),
    ...(counts ? { scanner: { ...scanner } } : {}),
    complete_percent: counts ? 100 : 0,
  };
}

/** The REST API form: the go-swagger model drops empty strings, zero numbers and nil
 * pointers (omitempty) but always writes both times. Keys in the generated model's order. */
export function apiReportSummary(
  report: ScanReport,
  scanner: ScannerInfo,
): NativeReportSummaryJson {
  const hook = webhookReportSummary(report, scanner);
  return {
    ...(hook.complete_percent ? { complete_percent: hook.complete_percent } : {}),
    ...(hook.duration ? { duration: hook.duration } : {}),
    end_time: apiTime(report.endTime),
    report_id: hook.report_id,
    scan_status: hook.scan_status,
    ...(hook.scanner ? { scanner: hook.scanner } : {}),
    ...(hook.severity ? { severity: hook.severity } : {}),
    start_time: apiTime(report.startTime),
    ...(hook.summary ? { summary: hook.summary } : {}),
  };
}
