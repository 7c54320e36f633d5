// GET /api/v1/commits: commits newest first, filtered and paged by an opaque cursor.
import { z } from "zod";
import { listCommitsBody, MAX_LIMIT } from "@/lib/db/commits";
import { jsonText, parseQuery, route } from "@/lib/http";
import { STATUSES } from "@/lib/sources/types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .optional();

const limitMessage = `must be a whole number from 1 to ${MAX_LIMIT}`;

const query = z.strictObject({
  app: text(200),
  branch: text(255),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` }).optional(),
  q: text(200),
  author: text(320),
  environment: text(100),
  limit: z
    .string()
    .regex(/^\d+$/, { error: limitMessage })
    .transform(Number)
    .pipe(z.number().min(1, { error: limitMessage }).max(MAX_LIMIT, { error: limitMessage }))
    .optional(),
  cursor: text(500),
});

export const GET = route({ role: "viewer" }, async (request) =>
  jsonText(await listCommitsBody(parseQuery(request, query))),
);
