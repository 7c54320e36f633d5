// Server-sent events: `timeline` {app, sha} and `gate` {id, status}; resumes from Last-Event-ID.
import { events } from "@/lib/realtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return events(request);
}
