// The scan jobs of the simulated scanner: a scan report goes Pending, then Running, then ends
// Success, Error or Stopped, by a call or by the autoComplete policy. Report times are whole
// seconds, as Harbor stores them.
import { randomUuid } from "./random";
import { zeroCounts } from "./scan-summary";
import { toSeconds } from "./time";
import type {
  ArtifactJson,
  ArtifactRecord,
  Logger,
  ScanReport,
  ScannerInfo,
  SeverityCounts,
} from "./types";

export interface ScanOutcome {
  counts?: Partial<SeverityCounts>;
  /** How many of the findings have a fixed version; default 0. */
  fixable?: number;
  /** The scanner errors out instead: scan_status "Error", SCANNING_FAILED. */
  fail?: boolean;
}

export interface ScannerOptions extends Partial<ScannerInfo> {
  /** How long a new scan reports Pending before it turns Running; default 20 ms. */
  pendingMs?: number;
  /** Lets scans finish by themselves: return when and how, or null to wait for completeScan(). */
  autoComplete?: (artifact: ArtifactJson) => (ScanOutcome & { afterMs: number }) | null;
}

export type ScanEndEvent = "SCANNING_COMPLETED" | "SCANNING_FAILED" | "SCANNING_STOPPED";

export interface ScanJobsDeps {
  options: ScannerOptions;
  now: () => Date;
  random: () => number;
  logger?: Logger;
  /** The artifact as autoComplete sees it. */
  view: (artifact: ArtifactRecord) => ArtifactJson;
  /** Called when a scan ends (to send its webhook). */
  ended: (type: ScanEndEvent, artifact: ArtifactRecord, report: ScanReport) => void;
}

const inProgress = (report: ScanReport | null): report is ScanReport =>
  report !== null && (report.status === "Pending" || report.status === "Running");

export class ScanJobs {
  private readonly timers = new Map<number, Set<NodeJS.Timeout>>();

  constructor(private readonly deps: ScanJobsDeps) {}

  /** A new scan replaces whatever report the artifact had. */
  start(artifact: ArtifactRecord, operator: string, tag: string | null): ScanReport {
    this.cancel(artifact.id);
    const report = this.newReport(artifact, operator, tag);
    this.schedule(artifact.id, this.deps.options.pendingMs ?? 20, () => {
      if (artifact.scan === report && report.status === "Pending") report.status = "Running";
    });
    const auto = this.deps.options.autoComplete?.(this.deps.view(artifact));
    if (auto) {
      this.schedule(artifact.id, auto.afterMs, () => {
        if (artifact.scan === report) this.finish(artifact, auto, tag);
      });
    }
    return report;
  }

  /** Ends the scan in progress, or one started just now (as scan-on-push would have). */
  finish(artifact: ArtifactRecord, outcome: ScanOutcome, tag: string | null): ScanReport {
    this.cancel(artifact.id);
    const report = inProgress(artifact.scan)
      ? artifact.scan
      : this.newReport(artifact, "auto", tag);
    report.endTime = toSeconds(this.deps.now());
    if (outcome.fail) {
      report.status = "Error";
    } else {
      report.status = "Success";
      report.counts = { ...zeroCounts(), ...outcome.counts };
      report.fixable = outcome.fixable ?? 0;
    }
    this.deps.ended(outcome.fail ? "SCANNING_FAILED" : "SCANNING_COMPLETED", artifact, report);
    return report;
  }

  stop(artifact: ArtifactRecord): ScanReport {
    const report = artifact.scan;
    if (!inProgress(report)) {
      throw new Error(`no scan in progress for ${artifact.repositoryName}@${artifact.digest}`);
    }
    this.cancel(artifact.id);
    report.status = "Stopped";
    report.endTime = toSeconds(this.deps.now());
    this.deps.ended("SCANNING_STOPPED", artifact, report);
    return report;
  }

  cancel(artifactId: number) {
    for (const timer of this.timers.get(artifactId) ?? []) clearTimeout(timer);
    this.timers.delete(artifactId);
  }

  cancelAll() {
    for (const id of [...this.timers.keys()]) this.cancel(id);
  }

  private newReport(artifact: ArtifactRecord, operator: string, tag: string | null): ScanReport {
    artifact.scan = {
      reportId: randomUuid(this.deps.random),
      status: "Pending",
      startTime: toSeconds(this.deps.now()),
      endTime: null,
      counts: null,
      fixable: 0,
      operator,
      tag,
    };
    return artifact.scan;
  }

  private schedule(artifactId: number, ms: number, fn: () => void) {
    const set = this.timers.get(artifactId) ?? new Set<NodeJS.Timeout>();
    this.timers.set(artifactId, set);
    const timer = setTimeout(() => {
      set.delete(timer);
      try {
        fn();
      } catch (err) {
        this.deps.logger?.({ level: "error", msg: "scan timer failed", err: String(err) });
      }
    }, ms);
    set.add(timer);
  }
}
