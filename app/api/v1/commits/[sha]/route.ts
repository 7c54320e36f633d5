// GET /api/v1/commits/{sha}: one commit's timeline, by full SHA or a prefix of 7+ characters.
import { z } from "zod";
import { readCommitTimeline } from "@/lib/db/timeline";
import { jsonText, parseQuery, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.strictObject({
  app: z.string().trim().max(200, { error: "must be at most 200 characters" }).optional(),
});

export const GET = route(
  { role: "viewer" },
  async (request, context: { params: Promise<{ sha: string }> }) => {
    const { app } = parseQuery(request, query);
    const { sha } = await context.params;
    return jsonText((await readCommitTimeline(sha, app)).body);
  },
);
