"use client";
// Operators' buttons for a stage's resource: Re-run a PipelineRun, Rebuild a kpack Build or
// Image, Sync or Hard refresh an Argo CD Application. Each asks for confirmation (with an optional
// reason) and shows the outcome, or the server's reason when it refused (403, 409).
import { useRef, useState } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";
import { ApiError } from "@/lib/client/api";
import {
  confirmQuestion,
  doneText,
  rerunActionsFor,
  type RerunAction,
  type RerunTarget,
} from "@/lib/ui/rerun-actions";
import { BUTTON, BUTTON_LOOK, Dialog, FIELD } from "./dialog";
import { failureText } from "./post-json";
import { useRerun } from "./use-rerun";

type Resource = { system: string; kind: string; namespace: string; name: string };

export function RerunButton({
  resource,
  cluster,
  roles,
  commit,
}: {
  resource: Resource | null;
  cluster: string | null;
  /** The signed-in person's roles, from the server. */
  roles: readonly Role[];
  /** The commit whose timeline shows this resource, to refresh it. */
  commit?: { app: string; sha: string };
}) {
  const found = rerunActionsFor(resource, cluster);
  // The target is kept from the moment the dialog opens: a newer attempt arriving live changes
  // the stage's resource, but the person confirmed the question about this one.
  const [chosen, setChosen] = useState<{ action: RerunAction; target: RerunTarget } | null>(null);
  const [reason, setReason] = useState("");
  const key = useRef<string>("");
  const rerun = useRerun(commit);
  if (!found || !hasRole(roles, "operator")) return null;
  const { target, actions } = found;

  const open = (action: RerunAction) => {
    // One key per opening: every submit from this dialog is the same request to the server.
    key.current = crypto.randomUUID();
    rerun.reset();
    setReason("");
    setChosen({ action, target });
  };
  const close = () => setChosen(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!chosen || rerun.isPending) return;
    rerun.mutate(
      {
        target: chosen.target,
        operation: chosen.action.operation,
        reason,
        idempotencyKey: key.current,
      },
      {
        // The server answered and recorded that attempt: trying again is a new request. After a
        // network failure the key stays, in case the first one did arrive.
        onError: (error) => {
          if (error instanceof ApiError) key.current = crypto.randomUUID();
        },
      },
    );
  };

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="rerun-actions">
      {actions.map((action) => (
        <button
          key={action.operation}
          type="button"
          className={`${BUTTON} ${BUTTON_LOOK.neutral}`}
          aria-label={`${action.label} ${target.kind} ${target.name}`}
          aria-haspopup="dialog"
          onClick={() => open(action)}
        >
          {action.label}
        </button>
      ))}
      <Dialog
        open={chosen !== null}
        onClose={close}
        title={chosen ? `${chosen.action.label} ${chosen.target.kind}` : ""}
        description={chosen ? confirmQuestion(chosen.action, chosen.target) : null}
        testId="rerun-dialog"
      >
        <form onSubmit={submit} className="space-y-3">
          <label className="block text-sm">
            Reason{" "}
            <span className="text-zinc-500 dark:text-zinc-400">
              (optional, kept in the audit log)
            </span>
            <textarea
              className={FIELD}
              rows={2}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              disabled={rerun.isPending || rerun.isSuccess}
              autoFocus
            />
          </label>
          <div role="status" aria-live="polite" className="text-sm">
            {rerun.isPending ? "Sending…" : null}
            {rerun.isSuccess && chosen ? (
              <span
                className={
                  rerun.data.status === "succeeded" || rerun.data.status === "accepted"
                    ? "text-emerald-700 dark:text-emerald-400"
                    : "text-amber-800 dark:text-amber-300"
                }
                data-testid="rerun-result"
              >
                {rerun.data.status === "succeeded" || rerun.data.status === "accepted"
                  ? doneText(chosen.action.operation, rerun.data.result)
                  : `The action ended as ${rerun.data.status}`}{" "}
                (action <code className="font-mono text-xs">{rerun.data.id}</code>).
              </span>
            ) : null}
          </div>
          {rerun.isError ? (
            <p
              role="alert"
              className="text-sm text-red-700 dark:text-red-400"
              data-testid="rerun-error"
            >
              Not done: {failureText(rerun.error)}
            </p>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={`${BUTTON} ${BUTTON_LOOK.neutral}`} onClick={close}>
              {rerun.isSuccess ? "Close" : "Cancel"}
            </button>
            {rerun.isSuccess ? null : (
              <button
                type="submit"
                className={`${BUTTON} ${BUTTON_LOOK.action}`}
                disabled={rerun.isPending}
                aria-busy={rerun.isPending}
              >
                {rerun.isPending
                  ? "Sending…"
                  : chosen
                    ? `Confirm: ${chosen.action.label}`
                    : "Confirm"}
              </button>
            )}
          </div>
        </form>
      </Dialog>
    </div>
  );
}
