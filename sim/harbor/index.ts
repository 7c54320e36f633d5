// The simulated Harbor: an in-memory registry that answers a faithful subset of Harbor's REST
// API v2.0 over HTTP and sends Default-format webhooks. See README.md.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type ArtifactSelector, HarborCore, type PushArtifactInput } from "./core";
import { createRequestListener } from "./http";
import type { ScanOutcome, ScannerOptions } from "./scans";
import type {
  ArtifactJson,
  Logger,
  NativeReportSummaryJson,
  ProjectJson,
  WebhookDelivery,
  WebhookPayload,
} from "./types";
import type { WebhookTarget } from "./webhooks";

export type { ArtifactSelector, PushArtifactInput } from "./core";
export type { ScanOutcome, ScannerOptions } from "./scans";
export type { WebhookTarget } from "./webhooks";
export type * from "./types";
export { VULN_REPORT_MIME, NATIVE_REPORT_MIME } from "./scan-summary";

export interface HarborOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Registry host used in image references and webhook resource_url, e.g. "harbor.shiplog.test".
   * Default "<host>:<port>". */
  registry?: string;
  username?: string;
  password?: string;
  /** The project's webhook policy target: where to POST events and the Authorization to send. */
  webhook?: WebhookTarget;
  scanner?: ScannerOptions;
  /** Projects to create at start (private unless `public`). */
  projects?: Array<{ name: string; public?: boolean; autoScan?: boolean }>;
  /** Let pushArtifact create a missing project; default true. */
  autoCreateProjects?: boolean;
  now?: () => Date;
  random?: () => number;
  logger?: Logger;
  /** Replaces the global fetch for webhook delivery (tests). */
  fetch?: typeof fetch;
  /**
   * Told every event synchronously, with the payload the webhook carries, whether or not a webhook
   * target is set — as a second webhook policy would be (the simulator's Tekton EventListener).
   */
  onEvent?: (payload: WebhookPayload) => void;
}

export interface Harbor {
  /** Base URL, e.g. "http://127.0.0.1:41234"; the API is under `${url}/api/v2.0`. */
  url: string;
  apiUrl: string;
  registry: string;
  username: string;
  password: string;
  createProject(input: { name: string; public?: boolean; autoScan?: boolean }): ProjectJson;
  /** A registry push: creates (or re-tags) the artifact and sends PUSH_ARTIFACT. */
  pushArtifact(input: PushArtifactInput): ArtifactJson;
  /** Starts a scan: Pending, then Running until completeScan() (or scanner.autoComplete). */
  scan(selector: ArtifactSelector & { operator?: string }): NativeReportSummaryJson;
  /** Ends the scan: Success with these counts (SCANNING_COMPLETED) or Error with `fail` (SCANNING_FAILED). */
  completeScan(selector: ArtifactSelector & ScanOutcome): NativeReportSummaryJson;
  /** Stops a scan in progress (SCANNING_STOPPED). */
  stopScan(selector: ArtifactSelector): NativeReportSummaryJson;
  /** Deletes the artifact and its tags; sends DELETE_ARTIFACT; returns it as it was. */
  deleteArtifact(selector: ArtifactSelector & { operator?: string }): ArtifactJson;
  getArtifact(selector: ArtifactSelector): ArtifactJson;
  /** Every artifact, oldest first, with tags and scan_overview. */
  artifacts(): ArtifactJson[];
  /** Every webhook delivery so far (live array). */
  readonly webhookLog: readonly WebhookDelivery[];
  /** Resolves when queued webhooks have been delivered or given up on. */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

export async function createHarbor(options: HarborOptions = {}): Promise<Harbor> {
  const host = options.host ?? "127.0.0.1";
  const username = options.username ?? "admin";
  const password = options.password ?? "Harbor12345";
  const now = options.now ?? (() => new Date());
  const core = new HarborCore({
    username,
    webhook: options.webhook,
    scanner: options.scanner,
    autoCreateProjects: options.autoCreateProjects,
    now,
    random: options.random ?? Math.random,
    logger: options.logger,
    fetch: options.fetch,
    onEvent: options.onEvent,
  });
  for (const project of options.projects ?? []) core.createProject(project);

  const server = createServer(
    createRequestListener({ core, username, password, now, logger: options.logger }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  core.registry = options.registry ?? `${host}:${port}`;
  options.logger?.({
    level: "info",
    msg: "harbor simulator listening",
    url,
    registry: core.registry,
  });

  return {
    url,
    apiUrl: `${url}/api/v2.0`,
    registry: core.registry,
    username,
    password,
    createProject: (input) => core.createProject(input),
    pushArtifact: (input) => core.pushArtifact(input),
    scan: (selector) => core.scan(selector),
    completeScan: (selector) => core.completeScan(selector),
    stopScan: (selector) => core.stopScan(selector),
    deleteArtifact: (selector) => core.deleteArtifact(selector),
    getArtifact: (selector) => core.getArtifact(selector),
    artifacts: () => core.artifacts(),
    webhookLog: core.webhooks.log,
    flushWebhooks: () => core.webhooks.flush(),
    close: async () => {
      await core.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
