"use client";
// A decision on a gate (POST /api/v1/approvals/{id}/decision). Answered or refused, the gate
// lists and the commit's timeline are refreshed: either way the gate may have changed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { decisionInvalidates } from "@/lib/client/gate-invalidate";
import type { GateView } from "@/lib/ui/gates";
import { postJson } from "@/components/actions/post-json";

export type DecisionInput = { decision: "approve" | "reject"; comment: string };

/** `onDecided` gets the gate as the server answered, even if the buttons are gone by then. */
export function useDecide(
  gate: { id: string; app: string | null; sha: string | null },
  onDecided?: (gate: GateView) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, comment }: DecisionInput) =>
      postJson<GateView>(`/api/v1/approvals/${encodeURIComponent(gate.id)}/decision`, {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    onSuccess: (updated) => onDecided?.(updated),
    // Not awaited: the answer shows at once, the refreshed lists and timeline follow.
    onSettled: () => {
      for (const queryKey of decisionInvalidates(gate.app, gate.sha))
        void queryClient.invalidateQueries({ queryKey });
    },
  });
}
