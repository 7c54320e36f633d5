// Timestamps the way Harbor writes them: the REST API (go-swagger strfmt.DateTime, always
// milliseconds, zero time for "never") and webhooks/internal structs (Go time.Time, RFC 3339
// with trailing zero fractions trimmed).

/** Go's zero time.Time as strfmt.DateTime renders it, e.g. an artifact never pulled. */
export const ZERO_API_TIME = "0001-01-01T00:00:00.000Z";
export const ZERO_GO_TIME = "0001-01-01T00:00:00Z";

/** "2024-03-05T07:33:03.123Z" (strfmt.DateTime, RFC3339Millis, UTC). */
export function apiTime(date: Date | null): string {
  return date ? date.toISOString() : ZERO_API_TIME;
}

/** "2023-04-03T06:12:47Z" (Go time.Time MarshalJSON: RFC3339Nano, fraction trimmed). */
export function goTime(date: Date | null): string {
  if (!date) return ZERO_GO_TIME;
  const iso = date.toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
}

/** Unix seconds, as occur_at and date_created carry them. */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Harbor keeps scan report times in a seconds-precision column (the samples show whole seconds). */
export function toSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
