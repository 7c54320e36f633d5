// Who decided a gate, how, when and why: one line per person, the same on the gate card, in the
// approvals inbox and on the timeline's approval stage.
import { RelativeTime } from "@/components/ui/relative-time";

export interface DecisionItem {
  user: string;
  decision: string;
  comment: string | null;
  at: string | null;
}

export function DecisionList({
  decisions,
  className = "space-y-0.5",
  label,
  testId,
}: {
  decisions: readonly DecisionItem[];
  className?: string;
  label?: string;
  testId?: string;
}) {
  return (
    <ul className={className} aria-label={label} data-testid={testId}>
      {decisions.map((x) => (
        <li key={`${x.user}-${x.at}`} data-decision={x.decision}>
          <span className="font-medium">{x.user}</span>{" "}
          {x.decision === "approve" ? "approved" : "rejected"}{" "}
          <RelativeTime iso={x.at} className="text-zinc-500 dark:text-zinc-400" />
          {x.comment ? <q className="ml-1 text-zinc-600 dark:text-zinc-400">{x.comment}</q> : null}
        </li>
      ))}
    </ul>
  );
}
