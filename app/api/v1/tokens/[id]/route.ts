// DELETE /api/v1/tokens/{id}: revokes a token (404 unknown, 409 already revoked). Admin only.
import { revokeToken, tokenView } from "@/lib/auth/tokens";
import { pool } from "@/lib/db/pool";
import { route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route(
  { role: "admin" },
  async (_request, context: { params: Promise<{ id: string }> }, principal) => {
    const { id } = await context.params;
    return tokenView(await revokeToken(pool(), { id, actor: principal.actor }));
  },
);
