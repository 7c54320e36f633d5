"use client";
// An operator's action on a resource (POST /api/v1/reruns), sent with the Idempotency-Key made
// when its dialog opened: a second click or a retry of the same request starts nothing new.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query-keys";
import type { RerunOperation, RerunTarget } from "@/lib/ui/rerun-actions";
import { postJson } from "./post-json";

export type RerunResult = { id: string; status: string; result: Record<string, unknown> | null };

export type RerunRequest = {
  target: RerunTarget;
  operation: RerunOperation;
  reason: string;
  idempotencyKey: string;
};

/** `commit`: the timeline that shows the resource, refreshed once the action was accepted. */
export function useRerun(commit?: { app: string; sha: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ target, operation, reason, idempotencyKey }: RerunRequest) =>
      postJson<RerunResult>(
        "/api/v1/reruns",
        { ...target, operation, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        { "Idempotency-Key": idempotencyKey },
      ),
    onSuccess: () => {
      // The new run, build or sync reaches the timeline through the watch; this refresh shows
      // whatever has already arrived, the live connection the rest.
      if (commit)
        void queryClient.invalidateQueries({
          queryKey: queryKeys.commits.detail(commit.app, commit.sha),
        });
    },
  });
}
