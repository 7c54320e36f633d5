// The simulated Harbor without its HTTP face: pushes, scans and deletions change the store and
// send the matching webhooks. The simulator's controllers drive it in-process through index.ts.
import { artifactPayload, scanPayload } from "./payloads";
import { randomDigest } from "./random";
import { VULN_REPORT_MIME, apiReportSummary } from "./scan-summary";
import { type ScanEndEvent, ScanJobs, type ScanOutcome, type ScannerOptions } from "./scans";
import { HarborStore, isDigest } from "./store";
import type {
  ArtifactJson,
  ArtifactRecord,
  Logger,
  NativeReportSummaryJson,
  ProjectJson,
  ScanReport,
  ScannerInfo,
  WebhookPayload,
} from "./types";
import { artifactJson, projectJson } from "./views";
import { WebhookSender, type WebhookTarget } from "./webhooks";

/** Names an artifact: by `reference` (digest or tag), or by `digest`, or by `tag`. */
export interface ArtifactSelector {
  project: string;
  /** Repository inside the project, e.g. "app" or "team/app". */
  repository: string;
  reference?: string;
  digest?: string;
  tag?: string;
}

export interface PushArtifactInput {
  project: string;
  repository: string;
  /** Manifest digest; a random sha256 digest when omitted. */
  digest?: string;
  tag?: string;
  tags?: string[];
  /** OCI image config labels (extra_attrs.config.Labels), e.g. org.opencontainers.image.revision. */
  labels?: Record<string, string>;
  /** The webhook's operator: the user or robot account that pushed. Default: the admin user. */
  pushedBy?: string;
  size?: number;
  /** Config media type; default Docker's image config v1 (what kpack/ggcr push). */
  mediaType?: string;
  manifestMediaType?: string;
  architecture?: string;
  os?: string;
  /** Image config "created"; default the push time. */
  created?: Date;
}

export interface HarborCoreOptions {
  username: string;
  webhook?: WebhookTarget;
  scanner?: ScannerOptions;
  /** Push to a missing project creates it (private); otherwise pushArtifact throws. Default true. */
  autoCreateProjects?: boolean;
  now: () => Date;
  random: () => number;
  logger?: Logger;
  fetch?: typeof fetch;
  /** In-process subscriber to every event, whatever the webhook policy (see HarborOptions.onEvent). */
  onEvent?: (payload: WebhookPayload) => void;
}

const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const TAG_NAME = /^[\w][\w.-]{0,127}$/;
const DEFAULT_SCANNER: ScannerInfo = { name: "Trivy", vendor: "Aqua Security", version: "v0.50.1" };

export class HarborCore {
  readonly store: HarborStore;
  readonly webhooks: WebhookSender;
  readonly scanner: ScannerInfo;
  /** Host (and port) that resource_url and image references use, e.g. "harbor.shiplog.test". */
  registry = "localhost";
  private readonly scans: ScanJobs;

  constructor(private readonly options: HarborCoreOptions) {
    this.store = new HarborStore(options.now);
    this.webhooks = new WebhookSender(options.webhook, {
      now: options.now,
      logger: options.logger,
      fetch: options.fetch,
    });
    const { name, vendor, version } = { ...DEFAULT_SCANNER, ...options.scanner };
    this.scanner = { name, vendor, version };
    this.scans = new ScanJobs({
      options: options.scanner ?? {},
      now: options.now,
      random: options.random,
      logger: options.logger,
      view: (artifact) => this.view(artifact),
      ended: (type, artifact, report) => this.sendScanEvent(type, artifact, report),
    });
  }

  get username(): string {
    return this.options.username;
  }

  createProject(input: { name: string; public?: boolean; autoScan?: boolean }): ProjectJson {
    const project = this.store.createProject(input.name, input);
    return projectJson(this.store, project, { authenticated: true, ownerName: this.username });
  }

  pushArtifact(input: PushArtifactInput): ArtifactJson {
    if (!REPOSITORY_NAME.test(input.repository))
      throw new Error(`invalid repository name: ${input.repository}`);
    const tags = [...(input.tag ? [input.tag] : []), ...(input.tags ?? [])];
    for (const tag of tags) if (!TAG_NAME.test(tag)) throw new Error(`invalid tag: ${tag}`);
    if (input.digest && !isDigest(input.digest)) throw new Error(`invalid digest: ${input.digest}`);
    const project =
      this.store.project(input.project) ??
      (this.options.autoCreateProjects === false
        ? this.store.requireProject(input.project)
        : this.store.createProject(input.project));
    const pushedAt = this.options.now();
    const { artifact } = this.store.putArtifact({
      project,
      repository: input.repository,
      digest: input.digest ?? randomDigest(this.options.random),
      tags,
      size: input.size ?? 20_000_000 + Math.floor(this.options.random() * 80_000_000),
      mediaType: input.mediaType ?? "application/vnd.docker.container.image.v1+json",
      manifestMediaType:
        input.manifestMediaType ?? "application/vnd.docker.distribution.manifest.v2+json",
      architecture: input.architecture ?? "amd64",
      os: input.os ?? "linux",
      created: input.created ?? pushedAt,
      labels: input.labels ?? {},
      at: pushedAt,
    });
    this.emit(
      artifactPayload({
        type: "PUSH_ARTIFACT",
        project,
        repository: this.store.repository(artifact.repositoryName),
        repositoryName: artifact.repositoryName,
        digest: artifact.digest,
        tags,
        operator: input.pushedBy ?? this.username,
        occurAt: pushedAt,
        registry: this.registry,
      }),
    );
    if (project.autoScan) this.scans.start(artifact, "auto", tags[0] ?? null);
    return this.view(artifact);
  }

  /** Starts a scan (scan_status Pending, then Running); completeScan() or autoComplete ends it. */
  scan(selector: ArtifactSelector & { operator?: string }): NativeReportSummaryJson {
    const { artifact, tag } = this.resolve(selector);
    const report = this.scans.start(artifact, selector.operator ?? this.username, tag);
    return apiReportSummary(report, this.scanner);
  }

  /** Finishes the running scan (or a new one) with these findings, or as failed with `fail`. */
  completeScan(selector: ArtifactSelector & ScanOutcome): NativeReportSummaryJson {
    const { artifact, tag } = this.resolve(selector);
    const report = this.scans.finish(artifact, selector, tag);
    return apiReportSummary(report, this.scanner);
  }

  /** Stops a Pending/Running scan: scan_status Stopped, SCANNING_STOPPED. */
  stopScan(selector: ArtifactSelector): NativeReportSummaryJson {
    const report = this.scans.stop(this.resolve(selector).artifact);
    return apiReportSummary(report, this.scanner);
  }

  deleteArtifact(selector: ArtifactSelector & { operator?: string }): ArtifactJson {
    const { artifact } = this.resolve(selector);
    const before = this.view(artifact);
    this.scans.cancel(artifact.id);
    const tags = this.store.deleteArtifact(artifact);
    const project = this.store.projectById(artifact.projectId)!;
    this.emit(
      artifactPayload({
        type: "DELETE_ARTIFACT",
        project,
        repository: this.store.repository(artifact.repositoryName),
        repositoryName: artifact.repositoryName,
        digest: artifact.digest,
        tags: tags.map((t) => t.name),
        operator: selector.operator ?? this.username,
        occurAt: this.options.now(),
        registry: this.registry,
      }),
    );
    return before;
  }

  getArtifact(selector: ArtifactSelector): ArtifactJson {
    return this.view(this.resolve(selector).artifact);
  }

  /** Every artifact, oldest first, with tags and scan overview. */
  artifacts(): ArtifactJson[] {
    return this.store.allArtifacts().map((a) => this.view(a));
  }

  /** Cancels scan timers and stops webhook delivery. */
  async close(): Promise<void> {
    this.scans.cancelAll();
    await this.webhooks.close();
  }

  /** Hands the event to the in-process subscriber, then queues the webhook. */
  private emit(payload: WebhookPayload): void {
    try {
      this.options.onEvent?.(payload);
    } catch (err) {
      this.options.logger?.({ level: "error", msg: "event subscriber failed", err: String(err) });
    }
    this.webhooks.send(payload);
  }

  private sendScanEvent(type: ScanEndEvent, artifact: ArtifactRecord, report: ScanReport) {
    this.emit(
      scanPayload({
        type,
        project: this.store.projectById(artifact.projectId)!,
        repositoryName: artifact.repositoryName,
        digest: artifact.digest,
        report,
        scanner: this.scanner,
        occurAt: report.endTime ?? this.options.now(),
        registry: this.registry,
      }),
    );
  }

  private resolve(selector: ArtifactSelector): { artifact: ArtifactRecord; tag: string | null } {
    const reference = selector.reference ?? selector.digest ?? selector.tag;
    if (!reference) throw new Error("name the artifact by reference, digest or tag");
    this.store.requireProject(selector.project);
    const artifact = this.store.resolve(`${selector.project}/${selector.repository}`, reference);
    return { artifact, tag: isDigest(reference) ? null : reference };
  }

  private view(artifact: ArtifactRecord): ArtifactJson {
    return artifactJson(this.store, this.scanner, artifact, {
      withTag: true,
      withScanOverview: true,
      overviewMimeType: VULN_REPORT_MIME,
    });
  }
}
