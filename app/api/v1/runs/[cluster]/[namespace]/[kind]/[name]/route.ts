// GET /api/v1/runs/{cluster}/{namespace}/{kind}/{name}: a PipelineRun's TaskRuns or a kpack Build's
// pod, with their steps and where each step's log can be read now.
import { route } from "@/lib/http";
import { runParams, type RunParams } from "@/lib/runs/params";
import { getRunDetail } from "@/lib/runs/read";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async (_request, context: RunParams) =>
  getRunDetail(await runParams(context)),
);
