// Webhook delivery as Harbor's jobservice webhook job does it: POST the JSON payload with the
// policy's auth_header as Authorization, treat any non-2xx as a failure and retry up to
// MaxFails attempts. Every delivery is logged; nothing here ever throws at the caller.
import type { HarborEventType, Logger, WebhookDelivery, WebhookPayload } from "./types";

export interface WebhookTarget {
  url: string;
  /** Sent verbatim as the Authorization header (WebhookTargetObject.auth_header). */
  authHeader?: string;
  /** Event types the policy subscribes to; default all. */
  eventTypes?: HarborEventType[];
  /** Attempts per event before giving up: the webhook job's MaxFails, default 3. */
  maxAttempts?: number;
  /** Retry n waits backoffMs * 2^(n-1); default 100 ms (Harbor's jobservice waits far longer). */
  backoffMs?: number;
  /** Per-attempt timeout, default 5000 ms. */
  timeoutMs?: number;
}

export interface WebhookSenderDeps {
  now: () => Date;
  logger?: Logger;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export class WebhookSender {
  readonly log: WebhookDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly inFlight = new Set<AbortController>();
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private nextId = 1;

  constructor(
    private readonly target: WebhookTarget | undefined,
    private readonly deps: WebhookSenderDeps,
  ) {}

  /** Queues the payload (deliveries go out one after another, in event order). */
  send(payload: WebhookPayload): WebhookDelivery | null {
    const target = this.target;
    if (!target || this.closed) return null;
    if (target.eventTypes && !target.eventTypes.includes(payload.type)) return null;
    const delivery: WebhookDelivery = {
      id: this.nextId++,
      type: payload.type,
      url: target.url,
      payload,
      attempts: [],
      statusCode: null,
      state: "pending",
    };
    this.log.push(delivery);
    this.queue = this.queue.then(() => this.deliver(target, delivery)).catch(() => undefined);
    return delivery;
  }

  /** Resolves once every queued delivery has been delivered or given up on. */
  async flush(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /** Stops sending: in-flight attempts are aborted, pending deliveries marked failed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
    for (const sleep of this.sleeps) {
      clearTimeout(sleep.timer);
      sleep.resolve();
    }
    await this.flush();
  }

  private async deliver(target: WebhookTarget, delivery: WebhookDelivery): Promise<void> {
    const maxAttempts = Math.max(1, target.maxAttempts ?? 3);
    const body = JSON.stringify(delivery.payload);
    for (let attempt = 1; attempt <= maxAttempts && !this.closed; attempt++) {
      if (attempt > 1) await this.sleep((target.backoffMs ?? 100) * 2 ** (attempt - 2));
      if (this.closed) break;
      const outcome = await this.attempt(target, body);
      delivery.attempts.push({ at: this.deps.now().toISOString(), ...outcome });
      delivery.statusCode = outcome.statusCode;
      if (outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300) {
        delivery.state = "delivered";
        this.deps.logger?.({
          level: "debug",
          msg: "webhook delivered",
          type: delivery.type,
          attempt,
        });
        return;
      }
      this.deps.logger?.({
        level: "warn",
        msg: "webhook attempt failed",
        type: delivery.type,
        attempt,
        statusCode: outcome.statusCode,
        error: outcome.error,
      });
    }
    delivery.state = "failed";
    this.deps.logger?.({
      level: "error",
      msg: "webhook given up",
      type: delivery.type,
      url: target.url,
    });
  }

  private async attempt(
    target: WebhookTarget,
    body: string,
  ): Promise<{ statusCode: number | null; error: string | null }> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), target.timeoutMs ?? 5000);
    try {
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "User-Agent": "Go-http-client/1.1",
      };
      if (target.authHeader) headers.Authorization = target.authHeader;
      const response = await (this.deps.fetch ?? fetch)(target.url, {
        method: "POST",
        headers,
        body,
        signal: controller.signal,
      });
      const text = await response.text().catch(() => "");
      const ok = response.status >= 200 && response.status < 300;
      return {
        statusCode: response.status,
        error: ok
          ? null
          : `abnormal response code: ${response.status}, body: ${text.slice(0, 200)}`,
      };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return {
        statusCode: null,
        error: cause ?? (err instanceof Error ? err.message : String(err)),
      };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.sleeps.add(entry);
    });
  }
}
