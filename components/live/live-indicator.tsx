"use client";
// The header's live indicator: live, connecting, reconnecting (catching up) or offline.
import { useSyncExternalStore } from "react";
import type { LiveState } from "@/lib/client/use-live-events";
import { useLiveState } from "./live-provider";

const noSubscription = () => () => {};

/**
 * False while React hydrates this part of the page: the connection may have opened before the
 * header hydrated, and hydration must render what the server sent ("Connecting").
 */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

const LOOK: Record<LiveState, { dot: string; text: string; hint: string }> = {
  live: {
    dot: "bg-emerald-500",
    text: "Live",
    hint: "Changes in the clusters appear as they happen",
  },
  connecting: {
    dot: "bg-zinc-400 motion-safe:animate-pulse",
    text: "Connecting",
    hint: "Opening the live connection",
  },
  reconnecting: {
    dot: "bg-amber-500 motion-safe:animate-pulse",
    text: "Reconnecting",
    hint: "The live connection dropped; Shiplog reconnects and catches up by itself",
  },
  offline: {
    dot: "bg-red-500",
    text: "Offline",
    hint: "No network: what you see may be out of date until the connection is back",
  },
};

export function LiveIndicator() {
  const live = useLiveState();
  const hydrated = useHydrated();
  if (!live) return null;
  const state: LiveState = hydrated ? live : "connecting";
  const look = LOOK[state];
  return (
    <span
      role="status"
      aria-live="polite"
      data-live-state={state}
      title={look.hint}
      className="inline-flex items-center gap-1.5 rounded-full border border-zinc-200 px-2 py-0.5 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
    >
      {/* The word says the state; the dot's shape does not change, so it is never alone. */}
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${look.dot}`} />
      <span>{look.text}</span>
      <span className="sr-only">: {look.hint}</span>
    </span>
  );
}
