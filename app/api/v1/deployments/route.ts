// GET /api/v1/deployments: what runs in each environment now, per Argo CD Application.
import { z } from "zod";
import { listDeployments } from "@/lib/db/deployments";
import { parseQuery, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.strictObject({
  app: z.string().trim().max(200, { error: "must be at most 200 characters" }).optional(),
});

export const GET = route({ role: "viewer" }, async (request) =>
  listDeployments(parseQuery(request, query).app),
);
