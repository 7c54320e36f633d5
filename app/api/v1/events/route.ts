// Server-sent events: `timeline` {app, sha} and `gate` {id, status}; resumes from Last-Event-ID.
import { route } from "@/lib/http";
import { events } from "@/lib/realtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, (request) => events(request));
