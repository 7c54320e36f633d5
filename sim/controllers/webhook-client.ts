// POSTs a JSON webhook with retries and backoff. A receiver that is down or answers non-2xx is
// logged, never thrown: the simulator keeps playing whether or not anyone listens.
import type { Logger } from "./clock";

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Attempts in all (default 5). */
  attempts?: number;
  /** First retry waits this long, then doubles (default 500 ms). */
  backoffMs?: number;
  timeoutMs?: number;
}

export interface WebhookResult {
  delivered: boolean;
  attempts: number;
  statusCode: number | null;
}

export async function postWebhook(
  post: WebhookPost,
  log: Logger,
  isClosed: () => boolean = () => false,
): Promise<WebhookResult> {
  const attempts = post.attempts ?? 5;
  const body = JSON.stringify(post.body);
  let statusCode: number | null = null;
  for (let attempt = 1; attempt <= attempts && !isClosed(); attempt++) {
    if (attempt > 1) {
      await new Promise((r) => setTimeout(r, (post.backoffMs ?? 500) * 2 ** (attempt - 2)));
      if (isClosed()) break;
    }
    try {
      const res = await fetch(post.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...post.headers },
        body,
        signal: AbortSignal.timeout(post.timeoutMs ?? 5000),
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { delivered: true, attempts: attempt, statusCode };
      log({ level: "warn", msg: "webhook rejected", url: post.url, statusCode, attempt });
    } catch (err) {
      statusCode = null;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      log({
        level: attempt === 1 ? "debug" : "warn",
        msg: "webhook receiver unreachable",
        url: post.url,
        attempt,
        error: cause ?? String(err),
      });
    }
  }
  log({ level: "warn", msg: "webhook given up", url: post.url, statusCode });
  return { delivered: false, attempts, statusCode };
}
