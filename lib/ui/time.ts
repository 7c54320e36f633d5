// Times as people read them: "3 min ago" with the exact UTC time on hover, and durations such as
// "1m 05s". Pure: the caller passes `now`.

const UNITS: [limitSeconds: number, divisor: number, unit: string][] = [
  [60, 1, "s"],
  [3600, 60, "min"],
  [86_400, 3600, "h"],
  [86_400 * 30, 86_400, "d"],
  [86_400 * 365, 86_400 * 30, "mo"],
  [Number.POSITIVE_INFINITY, 86_400 * 365, "y"],
];

export function relativeTime(iso: string | null, now: number): string {
  if (!iso) return "—";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "—";
  const seconds = Math.round((now - at) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return "just now";
  const [, divisor, unit] = UNITS.find(([limit]) => abs < limit)!;
  const amount = Math.floor(abs / divisor);
  return seconds >= 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

/** `2026-11-26 02:18:48 UTC`: the exact time, the same for everyone whatever their zone. */
export function exactTime(iso: string | null): string {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "—";
  const total = Math.floor(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  return `${m}m ${String(s).padStart(2, "0")}s`;
}

/** A stage's duration: finished − started, or up to `now` while it still runs. */
export function elapsedMs(
  startedAt: string | null,
  finishedAt: string | null,
  now: number,
): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}
