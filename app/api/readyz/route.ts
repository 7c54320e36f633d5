// Readiness: the database answers and is migrated; the watchers are not stuck failing.
import { readiness } from "@/lib/readiness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const { ready, checks } = await readiness();
  return Response.json(
    { status: ready ? "ready" : "not ready", checks },
    { status: ready ? 200 : 503 },
  );
}
