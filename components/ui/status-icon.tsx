// A status as an icon, a colour and words together: the icon's shape tells it apart without
// colour, and the words (visible or for screen readers) name it.
import type { Status } from "@/lib/sources/types";
import { STATUS_LABEL, STATUS_TONE, type Tone } from "@/lib/ui/status";

export const TONE_TEXT: Record<Tone, string> = {
  ok: "text-emerald-700 dark:text-emerald-400",
  bad: "text-red-700 dark:text-red-400",
  busy: "text-sky-700 dark:text-sky-400",
  wait: "text-amber-700 dark:text-amber-400",
  idle: "text-zinc-500 dark:text-zinc-400",
};

export const TONE_CHIP: Record<Tone, string> = {
  ok: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  bad: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300",
  busy: "border-sky-300 bg-sky-50 text-sky-800 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-300",
  wait: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300",
  idle: "border-zinc-300 bg-zinc-50 text-zinc-600 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-400",
};

const PATHS: Record<Status, React.ReactNode> = {
  succeeded: <path d="M4 8.5l2.5 2.5L12 5.5" fill="none" strokeWidth="2" />,
  failed: <path d="M5 5l6 6M11 5l-6 6" fill="none" strokeWidth="2" />,
  cancelled: <path d="M4.5 11.5l7-7" fill="none" strokeWidth="2" />,
  running: <path d="M8 3a5 5 0 1 1-5 5" fill="none" strokeWidth="2" />,
  pending: <circle cx="8" cy="8" r="1.6" />,
  waiting: <path d="M6 5v6M10 5v6" fill="none" strokeWidth="2" />,
  skipped: <path d="M4 8h8M9 5l3 3-3 3" fill="none" strokeWidth="1.6" />,
  unknown: (
    <path d="M6 6.2a2 2 0 1 1 2.6 1.9c-.4.2-.6.5-.6.9V10M8 11.6v.4" fill="none" strokeWidth="1.6" />
  ),
};

export function StatusIcon({ status, className = "" }: { status: Status; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      className={`inline-block h-4 w-4 shrink-0 fill-current stroke-current ${status === "running" ? "motion-safe:animate-spin" : ""} ${className}`}
    >
      {status !== "running" && status !== "pending" ? (
        <circle cx="8" cy="8" r="7" fill="none" strokeWidth="1" opacity="0.35" />
      ) : null}
      {status === "pending" ? (
        <circle cx="8" cy="8" r="6" fill="none" strokeWidth="1.4" strokeDasharray="2 2" />
      ) : null}
      {PATHS[status]}
    </svg>
  );
}

/** Icon and words, in the status colour. */
export function StatusBadge({ status, label }: { status: Status; label?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${TONE_CHIP[STATUS_TONE[status]]}`}
      data-status={status}
    >
      <StatusIcon status={status} />
      {label ?? STATUS_LABEL[status]}
    </span>
  );
}
