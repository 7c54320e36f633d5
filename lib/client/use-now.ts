"use client";
// One shared clock for relative times and running durations: components subscribe with the
// precision they need, and a single interval ticks at the finest one asked for. The server's
// render time is handed to the browser, so hydration renders the very same text.
import { createContext, useContext, useSyncExternalStore } from "react";

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

/** The current time in ms, re-rendering every `everyMs` (0: only when something else renders). */
export function useNow(everyMs: number): number {
  const renderedAt = useContext(RenderedAt);
  return useSyncExternalStore(
    (listener) => {
      now = Date.now();
      if (!everyMs) return () => {};
      listeners.set(listener, everyMs);
      restart();
      return () => {
        listeners.delete(listener);
        restart();
      };
    },
    () => now,
    () => renderedAt ?? now,
  );
}
