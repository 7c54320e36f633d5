"use client";
// One shared clock for relative times and running durations: components subscribe with the
// precision they need, and a single interval ticks at the finest one asked for. The server's
// render time is handed to the browser, so hydration renders the very same text.
import { createContext, useCallback, useContext, useSyncExternalStore } from "react";

const listeners = new Map<() => void, number>();
let timer: ReturnType<typeof setInterval> | undefined;
let period = 0;
let now = Date.now();

function restart() {
  const wanted = listeners.size ? Math.min(...listeners.values()) : 0;
  if (wanted === period) return;
  clearInterval(timer);
  timer = undefined;
  period = wanted;
  if (wanted) {
    timer = setInterval(() => {
      now = Date.now();
      for (const listener of listeners.keys()) listener();
    }, wanted);
  }
}

/** The time the server rendered this page (ms); set once by the root layout. */
export const RenderedAt = createContext<number | null>(null);

const subscribers = new Map<number, (listener: () => void) => () => void>();

/**
 * The store's subscribe for a precision: one function per precision, so React never re-subscribes
 * a mounted component. Subscribing refreshes a clock older than the precision asked for, never a
 * fresher one: were every subscription to move the clock, each re-render would re-subscribe, move
 * it again and re-render, until React stops with "Maximum update depth exceeded" (seen on a busy
 * machine, where a render takes a millisecond).
 */
export function subscribeEvery(everyMs: number): (listener: () => void) => () => void {
  let subscribe = subscribers.get(everyMs);
  if (!subscribe) {
    subscribe = (listener) => {
      if (!everyMs) return () => {};
      if (Date.now() - now >= everyMs) now = Date.now();
      listeners.set(listener, everyMs);
      restart();
      return () => {
        listeners.delete(listener);
        restart();
      };
    };
    subscribers.set(everyMs, subscribe);
  }
  return subscribe;
}

/** The shared clock's current reading (the store's snapshot). */
export const readNow = (): number => now;

/** The current time in ms, re-rendering every `everyMs` (0: only when something else renders). */
export function useNow(everyMs: number): number {
  const renderedAt = useContext(RenderedAt);
  const serverNow = useCallback(() => renderedAt ?? now, [renderedAt]);
  return useSyncExternalStore(subscribeEvery(everyMs), readNow, serverNow);
}
