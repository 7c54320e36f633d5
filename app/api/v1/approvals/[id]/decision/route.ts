// POST /api/v1/approvals/{id}/decision { decision: approve|reject, comment? }: 200 with the gate;
// 403 with the reason when this person may not decide it, 409 once it is no longer pending.
import { z } from "zod";
import { decideAs } from "@/lib/gates";
import { parseJson, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.strictObject({
  decision: z.enum(["approve", "reject"], { error: "must be approve or reject" }),
  comment: z.string().max(2000, { error: "must be at most 2000 characters" }).optional(),
});

export const POST = route(
  { role: "approver" },
  async (request, context: { params: Promise<{ id: string }> }, principal) => {
    const { id } = await context.params;
    const input = await parseJson(request, body);
    return decideAs(principal, id, { decision: input.decision, comment: input.comment ?? null });
  },
);
