// Harbor artifacts as `image` and `scan` stages (one each per linked digest), and the commit itself
// as the `source` stage.
import { scanStatus } from "@/lib/sources/harbor-model";
import { STATUSES, type ScanDetails, type Status } from "@/lib/sources/types";
import { linkedByOf, iso, type Draft, type LinkLookup } from "./draft";
import { shortRef } from "./linked-by";
import type { AppRow, ArtifactRow, CommitRow, LinkBases } from "./types";
import { commitUrl, harborUrl } from "./urls";

/** The store may keep Harbor's scan_status ("Success") or a status already read ("succeeded"). */
function scanStageStatus(a: ArtifactRow, summary: StoredScan | null): Status {
  if (a.scanStatus && (STATUSES as readonly string[]).includes(a.scanStatus))
    return a.scanStatus as Status;
  if (a.scanStatus) return scanStatus(a.scanStatus);
  return summary?.counts ? "succeeded" : "unknown";
}

/** ScanDetails as the store keeps it, with the scan's own times and reason beside it. */
type StoredScan = Partial<ScanDetails> & {
  startedAt?: string | null;
  finishedAt?: string | null;
  reason?: string | null;
};

function scanSummary(v: unknown): StoredScan | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as StoredScan) : null;
}

/** "Trivy v0.50.1" from the report; the column holds the name alone. */
function scannerName(a: ArtifactRow, s: StoredScan | null): string | null {
  const name = s?.scanner?.name;
  if (name) return [name, s?.scanner?.version].filter(Boolean).join(" ");
  return a.scanner;
}

export function artifactDrafts(a: ArtifactRow, link: LinkLookup, bases: LinkBases): Draft[] {
  const linkedBy = linkedByOf(link("artifact", a.id), null, "");
  const url = harborUrl(bases, a.project, a.repository, a.digest);
  const pushedAt = iso(a.pushedAt);
  const common = {
    environment: null,
    cluster: null,
    url,
    linkedBy,
    message: null,
    rerunOf: null,
    deleted: a.deletedAt !== null,
    group: a.repository,
    seq: Number(a.id),
  };
  const name = `${a.repository}@${a.digest}`;
  const ref = a.tags[0] ? `${a.repository}:${a.tags[0]}` : `${a.repository}@${shortRef(a.digest)}`;
  const image: Draft = {
    ...common,
    id: `artifact-${a.id}-image`,
    stage: "image",
    // In the registry means done: the push is one instant.
    status: "succeeded",
    title: `Image ${ref}`,
    startedAt: pushedAt,
    finishedAt: pushedAt,
    resource: { system: "harbor", kind: "Artifact", namespace: a.project, name, uid: null },
    reason: null,
    details: {
      repository: a.repository,
      digest: a.digest,
      tags: a.tags,
      pushedAt,
      signed: null, // the artifacts table keeps no signature state
      deleted: a.deletedAt !== null,
    },
  };
  const summary = scanSummary(a.scanSummary);
  if (a.scanStatus === null && summary === null) return [image];
  const status = scanStageStatus(a, summary);
  const scan: Draft = {
    ...common,
    id: `artifact-${a.id}-scan`,
    stage: "scan",
    status,
    title: `Scan of ${ref}`,
    // Without the scan's own start (older rows, Harbor 2.0 webhooks), Harbor's scan-on-push
    // started it at the push.
    startedAt: summary?.startedAt ?? pushedAt,
    finishedAt: summary?.finishedAt ?? null,
    resource: { system: "harbor", kind: "Scan", namespace: a.project, name, uid: null },
    reason: summary?.reason ?? null,
    details: {
      scanner: scannerName(a, summary),
      severity: a.severity ?? summary?.severity ?? null,
      counts: summary?.counts ?? null,
      total: summary?.total ?? null,
      fixable: summary?.fixable ?? null,
    },
  };
  return [image, scan];
}

/** The push that made the commit, when the forge told us about it (it has a commit time). */
export function sourceDraft(commit: CommitRow, app: AppRow, bases: LinkBases): Draft | null {
  if (!commit.committedAt) return null;
  const at = iso(commit.committedAt);
  const url = commitUrl(bases, commit.url, app.repoUrl, commit.sha);
  const short = commit.sha.slice(0, 7);
  return {
    id: "source",
    stage: "source",
    status: "succeeded",
    title: commit.branch ? `Commit ${short} on ${commit.branch}` : `Commit ${short}`,
    startedAt: at,
    finishedAt: at,
    environment: null,
    cluster: null,
    resource: null,
    url,
    linkedBy: null,
    reason: null,
    message: null,
    rerunOf: null,
    deleted: false,
    details: { author: commit.author, message: commit.message, branch: commit.branch, url },
    group: "source",
    seq: 0,
  };
}
