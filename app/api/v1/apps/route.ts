// GET /api/v1/apps: every app with its environments and newest commit.
import { listApps } from "@/lib/db/commits";
import { parseQuery, route } from "@/lib/http";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async (request) => {
  parseQuery(request, z.strictObject({}));
  return listApps();
});
