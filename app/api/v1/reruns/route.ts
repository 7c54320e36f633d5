// POST /api/v1/reruns { system, cluster, namespace, kind, name, reason?, operation? }: re-run a
// Tekton PipelineRun, rebuild a kpack Image/Build, sync (or hard-refresh) an Argo CD Application.
// 202 { id, status }; operator (or admin) only; an Idempotency-Key header makes repeats safe.
// The names are checked as Kubernetes names, and against what Shiplog stored, in lib/actions.
import { z } from "zod";
import { auditRefusedRequest, requestAction } from "@/lib/actions";
import { oneOf, RERUN_KINDS, RERUN_OPERATIONS, RERUN_SYSTEMS } from "@/lib/actions/contract";
import { AppError, BadInput } from "@/lib/errors";
import { parseJson, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const name = z.string().trim().min(1, { error: "must not be empty" }).max(253);
const body = z.strictObject({
  system: z.enum(RERUN_SYSTEMS, { error: `must be ${oneOf(RERUN_SYSTEMS)}` }),
  cluster: name,
  namespace: name,
  kind: z.enum(RERUN_KINDS, { error: `must be ${oneOf(RERUN_KINDS)}` }),
  name,
  reason: z.string().max(1000).optional(),
  operation: z.enum(RERUN_OPERATIONS).optional(),
});

export const POST = route({ role: "operator" }, async (request, _context, principal) => {
  const key = request.headers.get("idempotency-key");
  const input = await (async () => {
    if (key !== null && !/^[\x21-\x7e]{1,200}$/.test(key))
      throw new BadInput("Idempotency-Key must be 1 to 200 visible ASCII characters");
    return parseJson(request, body);
  })().catch(async (err: unknown) => {
    if (err instanceof AppError) await auditRefusedRequest(principal.actor, err);
    throw err;
  });
  const action = await requestAction(
    principal.actor,
    { ...input, reason: input.reason ?? null, operation: input.operation ?? null },
    key,
  );
  return Response.json(
    { id: action.id, status: action.status, result: action.result },
    { status: 202, headers: { "Cache-Control": "no-store" } },
  );
});
