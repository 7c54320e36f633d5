// Readiness: the database answers and is migrated; the watchers are not stuck failing; and
// `leader` says whether this replica runs the watchers (null: it watches nothing).
import { readiness } from "@/lib/readiness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const { ready, leader, checks } = await readiness();
  return Response.json(
    { status: ready ? "ready" : "not ready", leader, checks },
    { status: ready ? 200 : 503 },
  );
}
