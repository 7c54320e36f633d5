// The two server-sent events the browser acts on (GET /api/v1/events), read from the wire. Pure.

export type LiveEvent =
  | { type: "timeline"; payload: { app: string; sha: string } }
  | { type: "gate"; payload: { id: string; status: string } };

/** Parses an SSE message; null for anything that is not one of the two documented events. */
export function parseLiveEvent(type: string, data: string): LiveEvent | null {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof payload !== "object" || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (type === "timeline" && typeof p.app === "string" && typeof p.sha === "string") {
    return { type, payload: { app: p.app, sha: p.sha.toLowerCase() } };
  }
  if (type === "gate" && typeof p.id === "string" && typeof p.status === "string") {
    return { type, payload: { id: p.id, status: p.status } };
  }
  return null;
}
