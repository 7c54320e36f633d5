// GET /api/v1/approvals?status=pending|decided: approval gates, pending oldest first, decided
// newest first (both when status is left out). Everyone signed in may read them.
import { z } from "zod";
import { approvals } from "@/lib/gates";
import { parseQuery, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.strictObject({
  status: z.enum(["pending", "decided"], { error: "must be pending or decided" }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const GET = route({ role: "viewer" }, async (request) => {
  const { status, limit } = parseQuery(request, query);
  return approvals(status, limit);
});
