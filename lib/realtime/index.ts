// This process's event hub, created on first use.
import { pool } from "../db/pool";
import { log } from "../log";
import { createHub, type Hub } from "./hub";
import { eventStream } from "./sse";

const globalForHub = globalThis as unknown as { shiplogHub?: Hub };

export function hub(): Hub {
  globalForHub.shiplogHub ??= createHub(pool(), log);
  return globalForHub.shiplogHub;
}

export function events(request: Request): Response {
  return eventStream(hub(), request);
}
