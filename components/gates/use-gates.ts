"use client";
// The approval gates by status (GET /api/v1/approvals?status=…), kept live: the `gate` and
// `timeline` server-sent events invalidate these keys (lib/client/gate-invalidate.ts).
import { useQuery } from "@tanstack/react-query";
import { fetchJson, withQuery } from "@/lib/client/api";
import { queryKeys, type GateListStatus } from "@/lib/query-keys";
import type { GateView } from "@/lib/ui/gates";

export function useGates(status: GateListStatus, initialData?: GateView[]) {
  return useQuery({
    queryKey: queryKeys.approvals.list(status),
    queryFn: ({ signal }) =>
      fetchJson<GateView[]>(withQuery("/api/v1/approvals", { status }), signal),
    initialData,
  });
}
