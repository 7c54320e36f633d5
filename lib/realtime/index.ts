// This process's event hub, created on first use, and the event streams it serves: at most
// MAX_STREAMS open at once per person or token (in this process), each ending when the
// credentials it was opened with stop holding (checked every SHIPLOG_EVENTS_RECHECK).
import "server-only";
import { authenticate } from "../auth/guard";
import type { Principal } from "../auth/principal";
import { config } from "../config";
import { pool } from "../db/pool";
import { TooManyRequests, Unauthorized } from "../errors";
import { log } from "../log";
import { createHub, type Hub } from "./hub";
import { eventStream } from "./sse";

/** Open event streams one person or token may hold at once; a browser tab holds one. */
export const MAX_STREAMS = 10;

const globalForHub = globalThis as unknown as {
  shiplogHub?: Hub;
  shiplogStreams?: Map<string, number>;
};
const open = (globalForHub.shiplogStreams ??= new Map());

export function hub(): Hub {
  globalForHub.shiplogHub ??= createHub(pool(), log);
  return globalForHub.shiplogHub;
}

/** The event stream for `principal`, who was just authenticated from `request`'s credentials. */
export function events(request: Request, principal: Principal): Response {
  const key = `${principal.kind}:${principal.id}`;
  const count = open.get(key) ?? 0;
  if (count >= MAX_STREAMS) {
    const who = principal.kind === "user" ? principal.actor : `token "${principal.name}"`;
    throw new TooManyRequests(
      `${who} already has ${MAX_STREAMS} event streams open; close a tab or client and try again`,
    );
  }
  open.set(key, count + 1);
  const release = () => {
    const left = (open.get(key) ?? 1) - 1;
    if (left > 0) open.set(key, left);
    else open.delete(key);
  };
  return eventStream(hub(), request, {
    recheckMs: config().auth.eventsRecheckS * 1000,
    // The same cookie or token, asked again: still valid, and still the same person or token.
    // A check that cannot be made (the database does not answer) keeps the stream: only an
    // answer that the credentials are gone ends it.
    stillValid: async () => {
      try {
        const now = await authenticate(request);
        return now?.kind === principal.kind && now.id === principal.id;
      } catch (error) {
        if (error instanceof Unauthorized) return false;
        log.warn({ err: error }, "could not re-check an event stream's credentials");
        return true;
      }
    },
    onClose: release,
  });
}
