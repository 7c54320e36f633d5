// Server-sent events: the wire format, a heartbeat that keeps proxies from closing idle
// streams, and Last-Event-ID resume.
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

export function eventStream(hub: Hub, request: Request): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send("retry: 2000\n: connected\n\n");
      const unsubscribe = await hub.subscribe(resumeFrom(request), (event) =>
        send(formatEvent(event)),
      );
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
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
