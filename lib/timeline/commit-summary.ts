// A commits row as API.md's CommitSummary, from the status and stages map the store keeps current.
import type { Status } from "@/lib/sources/types";
import { asStatus } from "./draft";
import type { CommitSummary } from "./types";

export interface CommitSummaryRow {
  sha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: Date | null;
  status: string;
  stages: unknown;
}

/** The stored map, keeping only entries whose value is a status (the column is free JSON). */
export function stageMap(stages: unknown): Record<string, Status> {
  const out: Record<string, Status> = {};
  if (typeof stages !== "object" || stages === null || Array.isArray(stages)) return out;
  for (const [key, value] of Object.entries(stages)) {
    if (typeof value === "string") out[key] = asStatus(value);
  }
  return out;
}

export function toCommitSummary(app: string, commit: CommitSummaryRow): CommitSummary {
  return {
    app,
    sha: commit.sha,
    shortSha: commit.sha.slice(0, 7),
    branch: commit.branch,
    author: commit.author,
    message: commit.message,
    committedAt: commit.committedAt ? commit.committedAt.toISOString() : null,
    status: asStatus(commit.status),
    stages: stageMap(commit.stages),
  };
}
