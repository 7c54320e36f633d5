"use client";
// Holds the tab's one live connection and tells the header how it is doing.
import { createContext, useContext, type ReactNode } from "react";
import { useLiveEvents, type LiveState } from "@/lib/client/use-live-events";

const LiveContext = createContext<LiveState | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const state = useLiveEvents();
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

/** The live connection's state; null outside a signed-in page. */
export function useLiveState(): LiveState | null {
  return useContext(LiveContext);
}
