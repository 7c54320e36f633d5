// GET /api/v1/runs/{cluster}/{namespace}/{kind}/{name}/logs?group=&step=: one step's log as text,
// from its pod while it exists, else the tail kept when it failed (X-Shiplog-Log-Source says which).
import { z } from "zod";
import { parseQuery, route } from "@/lib/http";
import { runParams, type RunParams } from "@/lib/runs/params";
import { readRunLog } from "@/lib/runs/read";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const name = z.string().trim().min(1, { error: "is required" }).max(253);
const query = z.strictObject({ group: name, step: name });

export const GET = route({ role: "viewer" }, async (request, context: RunParams) => {
  const { group, step } = parseQuery(request, query);
  const log = await readRunLog(await runParams(context), group, step);
  return new Response(log.text, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Shiplog-Log-Source": log.source,
      "X-Shiplog-Log-Truncated": String(log.truncated),
      "X-Content-Type-Options": "nosniff",
    },
  });
});
