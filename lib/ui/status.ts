// How each status reads on screen: its words and its colour tone. Icons (components/status-icon)
// and words always come with the colour, so no status is told by colour alone.
import { STATUSES, type Status } from "@/lib/sources/types";

export type Tone = "ok" | "bad" | "busy" | "wait" | "idle";

export const STATUS_LABEL: Record<Status, string> = {
  pending: "pending",
  running: "running",
  waiting: "waiting",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  skipped: "skipped",
  unknown: "unknown",
};

export const STATUS_TONE: Record<Status, Tone> = {
  pending: "idle",
  running: "busy",
  waiting: "wait",
  succeeded: "ok",
  failed: "bad",
  cancelled: "bad",
  skipped: "idle",
  unknown: "idle",
};

export function asStatus(value: unknown): Status {
  return (STATUSES as readonly string[]).includes(value as string) ? (value as Status) : "unknown";
}

/** Argo CD's health words as a status, for the same icon and colour. */
export function healthStatus(health: string | null): Status {
  switch (health) {
    case "Healthy":
      return "succeeded";
    case "Progressing":
      return "running";
    case "Degraded":
    case "Missing":
      return "failed";
    case "Suspended":
      return "waiting";
    default:
      return "unknown";
  }
}
