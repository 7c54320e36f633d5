// Harbor webhook receiver (Default and CloudEvents payloads).
import { harborWebhook } from "@/lib/ingest";
import { webhookResponse } from "@/lib/ingest/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return webhookResponse("harbor", () => harborWebhook(request));
}
