// Types of the simulated Harbor: the records it keeps, the JSON it returns (swagger
// definitions Artifact, Tag, NativeReportSummary, ...) and the webhook payloads it sends.

/** scan_status values from Harbor's src/jobservice/job/status.go that a vulnerability scan goes through. */
export type ScanStatus = "Pending" | "Running" | "Success" | "Error" | "Stopped";

/** Severity values from Harbor's src/pkg/scan/vuln/severity.go. */
export type Severity = "None" | "Unknown" | "Negligible" | "Low" | "Medium" | "High" | "Critical";

/** Vulnerability counts a finished scan reports, per severity. */
export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
}

export interface ScannerInfo {
  name: string;
  vendor: string;
  version: string;
}

/** Event types this simulator sends (Harbor's src/controller/event/topic.go names). */
export type HarborEventType =
  | "PUSH_ARTIFACT"
  | "DELETE_ARTIFACT"
  | "SCANNING_COMPLETED"
  | "SCANNING_FAILED"
  | "SCANNING_STOPPED";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  [field: string]: unknown;
}
export type Logger = (entry: LogEntry) => void;

// ---- records kept by the store -------------------------------------------------------

export interface ProjectRecord {
  id: number;
  name: string;
  public: boolean;
  /** Project metadata auto_scan: scan every pushed artifact (operator "auto"). */
  autoScan: boolean;
  creationTime: Date;
  updateTime: Date;
}

export interface RepositoryRecord {
  id: number;
  projectId: number;
  /** Full name, "project/repo" (repo may itself contain "/"). */
  name: string;
  creationTime: Date;
  updateTime: Date;
}

export interface TagRecord {
  id: number;
  repositoryId: number;
  artifactId: number;
  name: string;
  pushTime: Date;
}

export interface ScanReport {
  reportId: string;
  status: ScanStatus;
  startTime: Date;
  endTime: Date | null;
  /** Set when the scan succeeded. */
  counts: SeverityCounts | null;
  fixable: number;
  /** Who asked for the scan: a user name, or "auto" for scan-on-push. */
  operator: string;
  /** The tag the scan was asked for by, if any (it shows up in the SCANNING_* payloads). */
  tag: string | null;
}

export interface ArtifactRecord {
  id: number;
  projectId: number;
  repositoryId: number;
  /** Full repository name, "project/repo". */
  repositoryName: string;
  digest: string;
  size: number;
  mediaType: string;
  manifestMediaType: string;
  pushTime: Date;
  /** OCI image config: architecture, os, created and config.Labels. */
  architecture: string;
  os: string;
  created: Date;
  labels: Record<string, string>;
  scan: ScanReport | null;
}

// ---- JSON shapes (swagger definitions) -------------------------------------------------

export interface TagJson {
  artifact_id: number;
  id: number;
  immutable: boolean;
  name: string;
  pull_time: string;
  push_time: string;
  repository_id: number;
}

export interface VulnerabilitySummaryJson {
  fixable: number;
  summary: Partial<Record<Severity, number>>;
  total: number;
}

/** NativeReportSummary as the REST API returns it (go-swagger model: empty fields omitted). */
export interface NativeReportSummaryJson {
  complete_percent?: number;
  duration?: number;
  end_time: string;
  report_id?: string;
  scan_status?: ScanStatus;
  scanner?: ScannerInfo;
  severity?: Severity;
  start_time: string;
  summary?: VulnerabilitySummaryJson;
}

export interface AdditionLinkJson {
  absolute: boolean;
  href: string;
}

/** definitions.Artifact as GET .../artifacts returns it. */
export interface ArtifactJson {
  accessories: null;
  addition_links: Record<string, AdditionLinkJson>;
  artifact_type: string;
  digest: string;
  extra_attrs: Record<string, unknown>;
  icon: string;
  id: number;
  labels: null;
  manifest_media_type: string;
  media_type: string;
  project_id: number;
  pull_time: string;
  push_time: string;
  references: null;
  repository_id: number;
  repository_name: string;
  scan_overview?: Record<string, NativeReportSummaryJson>;
  size: number;
  tags: TagJson[] | null;
  type: "IMAGE";
}

export interface RepositoryJson {
  artifact_count: number;
  creation_time: string;
  id: number;
  name: string;
  project_id: number;
  pull_count: number;
  update_time: string;
}

export interface ProjectJson {
  creation_time: string;
  current_user_role_id?: number;
  current_user_role_ids: number[] | null;
  cve_allowlist: {
    creation_time: string;
    id: number;
    items: never[];
    project_id: number;
    update_time: string;
  };
  metadata: Record<string, string>;
  name: string;
  owner_id: number;
  owner_name: string;
  project_id: number;
  repo_count: number;
  togglable?: boolean;
  update_time: string;
}

// ---- webhook payloads (Default format) ---------------------------------------------------

/** NativeReportSummary as the webhook carries it (Harbor's internal struct: nothing omitted but the scanner). */
export interface WebhookReportSummary {
  report_id: string;
  scan_status: ScanStatus;
  severity: Severity | "";
  duration: number;
  summary: VulnerabilitySummaryJson | null;
  start_time: string;
  end_time: string;
  scanner?: ScannerInfo;
  complete_percent: number;
}

export interface WebhookResource {
  digest: string;
  tag?: string;
  resource_url: string;
  scan_overview?: Record<string, WebhookReportSummary>;
}

export interface WebhookPayload {
  type: HarborEventType;
  occur_at: number;
  operator: string;
  event_data: {
    resources: WebhookResource[];
    repository: {
      date_created?: number;
      name: string;
      namespace: string;
      repo_full_name: string;
      repo_type: "private" | "public";
    };
  };
}

/** One webhook delivery (all its attempts), as recorded in harbor.webhookLog. */
export interface WebhookDelivery {
  id: number;
  type: HarborEventType;
  url: string;
  payload: WebhookPayload;
  attempts: Array<{ at: string; statusCode: number | null; error: string | null }>;
  /** Status code of the last attempt, null if the receiver could not be reached. */
  statusCode: number | null;
  state: "pending" | "delivered" | "failed";
}
