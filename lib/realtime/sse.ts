// Server-sent events: the wire format, a heartbeat that keeps proxies from closing idle
// streams, Last-Event-ID resume, and a periodic check that the stream's credentials still hold
// (the stream ends when they do not: a session past its lifetime, signed out or disabled, a
// revoked or expired token).
import type { Hub, StoredEvent } from "./hub";

const HEARTBEAT_MS = 15_000;

export function formatEvent(event: StoredEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`;
}

/** EventSource sends Last-Event-ID when it reconnects; a first connect may pass ?lastEventId=. */
export function resumeFrom(request: Request): bigint | null {
  const value =
    request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  return value && /^\d{1,19}$/.test(value) ? BigInt(value) : null;
}

export type StreamOptions = {
  /** Whether the credentials the stream was opened with still hold; asked every `recheckMs`. */
  stillValid?: () => Promise<boolean>;
  recheckMs?: number;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
};

export function eventStream(hub: Hub, request: Request, options: StreamOptions = {}): Response {
  const encoder = new TextEncoder();
  let ended = false;
  let stop = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    stop();
    options.onClose?.();
  };
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const close = () => {
        end();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      request.signal.addEventListener("abort", close);
      send("retry: 2000\n: connected\n\n");
      const unsubscribe = await hub.subscribe(resumeFrom(request), (event) =>
        send(formatEvent(event)),
      );
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
      const recheck = options.stillValid
        ? setInterval(() => {
            void options.stillValid!()
              .catch(() => false)
              .then((valid) => {
                if (valid || ended) return;
                send(
                  'event: end\ndata: {"reason":"credentials no longer valid; sign in again"}\n\n',
                );
                close();
              });
          }, options.recheckMs ?? 60_000)
        : undefined;
      stop = () => {
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
      };
      if (ended || request.signal.aborted) close();
    },
    cancel() {
      end();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
