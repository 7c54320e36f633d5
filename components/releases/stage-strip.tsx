// A commit's stages in one compact row: each stage's status as icon, colour and words.
import type { Status } from "@/lib/sources/types";
import type { StageColumn } from "@/lib/ui/stage-columns";
import { STATUS_LABEL, STATUS_TONE } from "@/lib/ui/status";
import { StatusIcon, TONE_CHIP } from "@/components/ui/status-icon";

/** Short words for the strip: "deploy production" → "deploy prod". */
function shortLabel(column: StageColumn): string {
  const env = column.environment;
  if (!env) return column.stage;
  const short = env === "production" ? "prod" : env === "staging" ? "stg" : env;
  return `${column.stage === "approval" ? "approve" : column.stage} ${short}`;
}

export function StageStrip({
  columns,
  stages,
}: {
  columns: StageColumn[];
  stages: Record<string, Status>;
}) {
  return (
    <ol aria-label="Stages" className="flex flex-wrap gap-1">
      {columns.map((column) => {
        const status = stages[column.key];
        const words = status ? STATUS_LABEL[status] : "not reached";
        return (
          <li
            key={column.key}
            title={`${column.label}: ${words}`}
            data-stage={column.key}
            data-status={status ?? "none"}
            className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-[11px] leading-4 ${
              status
                ? TONE_CHIP[STATUS_TONE[status]]
                : "border-dashed border-zinc-300 text-zinc-400 dark:border-zinc-700 dark:text-zinc-500"
            }`}
          >
            {status ? <StatusIcon status={status} className="h-3.5 w-3.5" /> : null}
            <span>{shortLabel(column)}</span>
            <span className="sr-only">: {words}</span>
          </li>
        );
      })}
    </ol>
  );
}
