// Webhook payloads in Harbor's Default format, built as Harbor's webhook handlers build them
// (src/controller/event/handler/webhook/{artifact,scan}): pure functions of the event.
import { VULN_REPORT_MIME, webhookReportSummary } from "./scan-summary";
import { isDigest } from "./store";
import { unixSeconds } from "./time";
import type {
  HarborEventType,
  ProjectRecord,
  RepositoryRecord,
  ScanReport,
  ScannerInfo,
  WebhookPayload,
} from "./types";

/** "<registry>/<repo>:<tag>" or "<registry>/<repo>@<digest>" (util.BuildImageResourceURL). */
export function resourceUrl(registry: string, repositoryName: string, reference: string): string {
  return isDigest(reference)
    ? `${registry}/${repositoryName}@${reference}`
    : `${registry}/${repositoryName}:${reference}`;
}

function repositoryBlock(project: ProjectRecord, repositoryName: string, dateCreated?: Date) {
  return {
    ...(dateCreated ? { date_created: unixSeconds(dateCreated) } : {}),
    // util.GetNameFromImgRepoFullName: everything after the project
    name: repositoryName.slice(repositoryName.indexOf("/") + 1),
    namespace: project.name,
    repo_full_name: repositoryName,
    repo_type: project.public ? ("public" as const) : ("private" as const),
  };
}

export interface ArtifactEvent {
  type: Extract<HarborEventType, "PUSH_ARTIFACT" | "DELETE_ARTIFACT">;
  project: ProjectRecord;
  /** The repository record, when it exists: its creation time becomes date_created. */
  repository: RepositoryRecord | undefined;
  repositoryName: string;
  digest: string;
  /** Tags pushed with (or held by a deleted) artifact; the first one is reported. */
  tags: string[];
  operator: string;
  occurAt: Date;
  registry: string;
}

/** PUSH_ARTIFACT / DELETE_ARTIFACT: tag is the first tag, or the digest when there is none. */
export function artifactPayload(event: ArtifactEvent): WebhookPayload {
  const reference = event.tags[0] ?? event.digest;
  return {
    type: event.type,
    occur_at: unixSeconds(event.occurAt),
    operator: event.operator,
    event_data: {
      resources: [
        {
          digest: event.digest,
          tag: reference,
          resource_url: resourceUrl(event.registry, event.repositoryName, reference),
        },
      ],
      repository: repositoryBlock(
        event.project,
        event.repositoryName,
        event.repository?.creationTime,
      ),
    },
  };
}

export interface ScanEvent {
  type: Extract<HarborEventType, "SCANNING_COMPLETED" | "SCANNING_FAILED" | "SCANNING_STOPPED">;
  project: ProjectRecord;
  repositoryName: string;
  digest: string;
  report: ScanReport;
  scanner: ScannerInfo;
  occurAt: Date;
  registry: string;
}

/** SCANNING_*: the tag only when the scan was asked for by tag; no date_created. */
export function scanPayload(event: ScanEvent): WebhookPayload {
  const tag = event.report.tag;
  return {
    type: event.type,
    occur_at: unixSeconds(event.occurAt),
    operator: event.report.operator,
    event_data: {
      resources: [
        {
          digest: event.digest,
          ...(tag ? { tag } : {}),
          resource_url: resourceUrl(event.registry, event.repositoryName, tag ?? event.digest),
          scan_overview: { [VULN_REPORT_MIME]: webhookReportSummary(event.report, event.scanner) },
        },
      ],
      repository: repositoryBlock(event.project, event.repositoryName),
    },
  };
}
