// Server-sent events: `timeline` {app, sha} and `gate` {id, status}; resumes from Last-Event-ID.
// A stream ends when its session or token stops being valid; 429 past MAX_STREAMS per caller.
import { route } from "@/lib/http";
import { events } from "@/lib/realtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, (request, _context, principal) =>
  events(request, principal),
);
