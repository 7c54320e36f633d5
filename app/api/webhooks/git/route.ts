// Git push webhook receiver (GitLab and GitHub).
import { gitWebhook } from "@/lib/ingest";
import { webhookResponse } from "@/lib/ingest/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return webhookResponse("git", () => gitWebhook(request));
}
