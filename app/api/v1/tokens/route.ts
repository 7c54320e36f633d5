// GET /api/v1/tokens: every API token (never a hash). POST: create one; the token is in this
// answer only. Admin only, like the admin page that uses them.
import { z } from "zod";
import { createToken, listTokens, tokenView } from "@/lib/auth/tokens";
import { LIFETIME_HINT, parseLifetime } from "@/lib/auth/token-format";
import { ROLES } from "@/lib/auth/roles";
import { pool } from "@/lib/db/pool";
import { parseJson, parseQuery, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(100, { error: "must be at most 100 characters" }),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  expires: z
    .string()
    .refine((text) => parseLifetime(text) !== undefined, { error: `must be ${LIFETIME_HINT}` })
    .optional(),
});

export const GET = route({ role: "admin" }, async (request) => {
  parseQuery(request, z.strictObject({}));
  const now = new Date();
  return (await listTokens(pool())).map((token) => tokenView(token, now));
});

export const POST = route({ role: "admin" }, async (request, _context, principal) => {
  const input = await parseJson(request, body);
  const created = await createToken(pool(), {
    name: input.name,
    role: input.role,
    lifetimeMs: input.expires ? parseLifetime(input.expires) : undefined,
    actor: principal.actor,
    // A token's gate decisions count as the person who made it.
    madeBy: principal.kind === "user" ? principal.id : null,
  });
  return Response.json(
    { ...tokenView(created), token: created.token },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
