"use client";
// Approve / Reject for someone who may decide a gate: a confirmation dialog (a comment is
// required to reject), the pending state, and the server's reason when it refuses; the gate's
// new status goes to `onDecided`.
import { useState } from "react";
import { decisionProblem, type GateView } from "@/lib/ui/gates";
import { BUTTON, BUTTON_LOOK, Dialog, FIELD } from "@/components/actions/dialog";
import { failureText } from "@/components/actions/post-json";
import { useDecide, type DecisionInput } from "./use-decide";

export function DecideButtons({
  gate,
  environment,
  onDecided,
}: {
  gate: { id: string; app: string | null; sha: string | null };
  environment: string | null;
  onDecided?: (gate: GateView) => void;
}) {
  const decide = useDecide(gate, onDecided);
  const [choice, setChoice] = useState<DecisionInput["decision"] | null>(null);
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const where = environment ? ` to ${environment}` : "";

  const open = (decision: DecisionInput["decision"]) => {
    decide.reset();
    setProblem(null);
    setChoice(decision);
  };
  const close = () => setChoice(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!choice || decide.isPending) return;
    const found = decisionProblem(choice, comment);
    setProblem(found);
    if (found) return;
    decide.mutate(
      { decision: choice, comment },
      {
        onSuccess: () => {
          setChoice(null);
          setComment("");
        },
      },
    );
  };

  return (
    <div>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={`${BUTTON} ${BUTTON_LOOK.approve}`}
          aria-haspopup="dialog"
          onClick={() => open("approve")}
          disabled={decide.isPending}
        >
          Approve
        </button>
        <button
          type="button"
          className={`${BUTTON} ${BUTTON_LOOK.reject}`}
          aria-haspopup="dialog"
          onClick={() => open("reject")}
          disabled={decide.isPending}
        >
          Reject
        </button>
      </div>
      <Dialog
        open={choice !== null}
        onClose={close}
        title={
          choice === "reject" ? `Reject this release${where}?` : `Approve this release${where}?`
        }
        description={
          choice === "reject"
            ? "The pipeline stops at this gate. Say why, for the people who wait on it."
            : "The pipeline goes on once enough approvers agree."
        }
        testId="decision-dialog"
      >
        <form onSubmit={submit} noValidate className="space-y-3">
          <label className="block text-sm">
            Comment{" "}
            <span className="text-zinc-500 dark:text-zinc-400">
              {choice === "reject" ? "(required)" : "(optional)"}
            </span>
            <textarea
              className={FIELD}
              rows={3}
              maxLength={2000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${gate.id}-problem` : undefined}
              required={choice === "reject"}
              disabled={decide.isPending}
              autoFocus
            />
          </label>
          {problem ? (
            <p
              id={`${gate.id}-problem`}
              role="alert"
              className="text-sm text-red-700 dark:text-red-400"
            >
              {problem}
            </p>
          ) : null}
          {decide.isError ? (
            <p
              role="alert"
              className="text-sm text-red-700 dark:text-red-400"
              data-testid="decision-error"
            >
              Not recorded: {failureText(decide.error)}
            </p>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={`${BUTTON} ${BUTTON_LOOK.neutral}`} onClick={close}>
              Cancel
            </button>
            <button
              type="submit"
              className={`${BUTTON} ${choice === "reject" ? BUTTON_LOOK.reject : BUTTON_LOOK.approve}`}
              disabled={decide.isPending}
              aria-busy={decide.isPending}
            >
              {decide.isPending
                ? "Sending…"
                : choice === "reject"
                  ? "Confirm rejection"
                  : "Confirm approval"}
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
