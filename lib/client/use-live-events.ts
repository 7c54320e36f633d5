"use client";
// One EventSource per tab on /api/v1/events. Each `timeline` / `gate` message invalidates exactly
// the cached queries it affects (lib/client/invalidate.ts); after a drop the browser reconnects
// with Last-Event-ID and the active queries refetch, so the page catches up without a reload.
import { useQueryClient, type Query } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { affects, parseLiveEvent } from "./invalidate";

export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

const EVENTS_URL = "/api/v1/events";
const MAX_BACKOFF_MS = 30_000;
const OVERVIEW_DELAY_MS = 250;

export function useLiveEvents(): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    let source: EventSource | null = null;
    let lastEventId: string | null = null;
    let hadError = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;

    // A query already refetching when its data changes again is refetched once more when that
    // fetch ends: cancelling and restarting it would load the server with answers nobody reads
    // and, while changes keep coming, starve the page.
    const cache = queryClient.getQueryCache();
    const dirty = new Set<string>();
    const unsubscribeCache = cache.subscribe((e) => {
      const { query } = e;
      if (e.type !== "updated" || query.state.fetchStatus !== "idle") return;
      if (!dirty.has(query.queryHash)) return;
      dirty.delete(query.queryHash);
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    });

    const refresh = (query: Query) => {
      if (query.state.fetchStatus === "fetching") dirty.add(query.queryHash);
      else void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    };
    // What a stage strip or timeline shows is refreshed at once; overviews (apps, what runs now,
    // approvals) a moment later, once per burst, so they do not compete with it for the server.
    const later = new Map<string, Query>();
    let laterTimer: ReturnType<typeof setTimeout> | undefined;
    const flushLater = () => {
      laterTimer = undefined;
      for (const query of later.values()) refresh(query);
      later.clear();
    };

    const onMessage = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      const event = parseLiveEvent(message.type, message.data);
      if (!event) return;
      for (const query of cache.findAll({
        predicate: (q) => affects(event, q.queryKey, q.state.data),
      })) {
        if (query.queryKey[0] === "commits" || query.queryKey[0] === "runs") refresh(query);
        else {
          later.set(query.queryHash, query);
          laterTimer ??= setTimeout(flushLater, OVERVIEW_DELAY_MS);
        }
      }
    };

    const open = () => {
      if (stopped) return;
      // A new EventSource starts without Last-Event-ID; the server also reads it as a parameter.
      const url = lastEventId
        ? `${EVENTS_URL}?lastEventId=${encodeURIComponent(lastEventId)}`
        : EVENTS_URL;
      const es = new EventSource(url, { withCredentials: true });
      source = es;
      es.addEventListener("timeline", onMessage);
      es.addEventListener("gate", onMessage);
      // The server ended the stream because the session is over (lifetime, signed out
      // elsewhere, disabled): a reload takes the tab through the sign-in page and back.
      es.addEventListener("end", () => {
        stopped = true;
        es.close();
        window.location.reload();
      });
      es.onopen = () => {
        attempts = 0;
        setState("live");
        // Replayed events invalidate what they name; refetching what is on screen also covers
        // anything older than the server's replay window.
        if (hadError) void queryClient.invalidateQueries({ type: "active" });
        hadError = false;
      };
      es.onerror = () => {
        hadError = true;
        if (es.readyState === EventSource.CONNECTING && navigator.onLine) {
          setState("reconnecting"); // the browser retries by itself, with Last-Event-ID
          return;
        }
        // Closed for good (an error answer, or offline): retry ourselves, backing off.
        es.close();
        setState(navigator.onLine ? "reconnecting" : "offline");
        attempts += 1;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 5));
        clearTimeout(retryTimer);
        retryTimer = setTimeout(open, navigator.onLine ? delay : MAX_BACKOFF_MS);
      };
    };

    const goOffline = () => {
      hadError = true;
      setState("offline");
    };
    const goOnline = () => {
      // Whatever happened to the stream while offline, what is on screen may be stale.
      void queryClient.invalidateQueries({ type: "active" });
      if (source && source.readyState !== EventSource.CLOSED) {
        setState(source.readyState === EventSource.OPEN ? "live" : "reconnecting");
        return;
      }
      clearTimeout(retryTimer);
      setState("reconnecting");
      open();
    };

    open();
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    return () => {
      stopped = true;
      unsubscribeCache();
      clearTimeout(retryTimer);
      clearTimeout(laterTimer);
      source?.close();
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
    };
  }, [queryClient]);

  return state;
}
