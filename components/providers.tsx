"use client";
// Client-side data layer: one TanStack Query client per browser tab and, for signed-in people,
// the live connection whose state the header shows.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { retryable } from "@/lib/client/api";
import { RenderedAt } from "@/lib/client/use-now";
import { LiveProvider } from "./live/live-provider";

export function Providers({
  children,
  live,
  renderedAt,
}: {
  children: ReactNode;
  live: boolean;
  renderedAt: number;
}) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Server-sent events say when data changed; until then what the server sent holds.
          queries: {
            staleTime: 5 * 60_000,
            refetchOnWindowFocus: false,
            retry: retryable,
            // A live refresh that failed is worth retrying soon, not after seconds.
            retryDelay: (attempt) => Math.min(200 * 2 ** attempt, 3000),
          },
        },
      }),
  );
  return (
    <RenderedAt.Provider value={renderedAt}>
      <QueryClientProvider client={client}>
        {live ? <LiveProvider>{children}</LiveProvider> : children}
      </QueryClientProvider>
    </RenderedAt.Provider>
  );
}
