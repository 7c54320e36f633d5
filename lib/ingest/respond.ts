// A webhook's HTTP answer: the outcome, or the typed error's status with its message.
import { AppError } from "../errors";
import { log } from "../log";
import { metrics } from "../metrics";
import type { WebhookOutcome } from "./webhooks";

export async function webhookResponse(
  source: "harbor" | "git",
  receive: () => Promise<WebhookOutcome>,
): Promise<Response> {
  const route = `/api/webhooks/${source}`;
  try {
    const outcome = await receive();
    metrics().httpRequests.inc({ route, status: String(outcome.status) });
    return Response.json(outcome.body, { status: outcome.status });
  } catch (error) {
    const status = error instanceof AppError ? error.status : 500;
    metrics().httpRequests.inc({ route, status: String(status) });
    if (status >= 500) log.error({ err: error, source }, "webhook failed");
    else log.warn({ source, status, reason: (error as Error).message }, "webhook refused");
    const message =
      error instanceof AppError ? error.message : "internal error; the delivery was not stored";
    return Response.json({ error: message }, { status });
  }
}
