// Readiness: the database answers and is migrated.
import { checkDatabase } from "@/lib/db/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  return Response.json(
    { status: database.ok ? "ready" : "not ready", checks: { database } },
    { status: database.ok ? 200 : 503 },
  );
}
