"use client";
// A PipelineRun's tasks as bars on one time axis, each with its status in icon and words.
import { isInFlight } from "@/lib/timeline/summary";
import type { PipelineTask } from "@/lib/timeline/types";
import { useNow } from "@/lib/client/use-now";
import { ganttBars } from "@/lib/ui/gantt";
import { asStatus, STATUS_LABEL, STATUS_TONE } from "@/lib/ui/status";
import { formatDuration } from "@/lib/ui/time";
import { StatusIcon, TONE_TEXT } from "@/components/ui/status-icon";

const BAR: Record<string, string> = {
  ok: "bg-emerald-500",
  bad: "bg-red-500",
  busy: "bg-sky-500",
  wait: "bg-amber-500",
  idle: "bg-zinc-400",
};

export function TaskGantt({ tasks }: { tasks: PipelineTask[] }) {
  const live = tasks.some((t) => isInFlight(asStatus(t.status)));
  const now = useNow(live ? 1000 : 0);
  if (tasks.length === 0) return <p className="text-sm text-zinc-500">No tasks reported yet.</p>;
  const { bars } = ganttBars(tasks, now);
  return (
    <ol aria-label="Tasks" className="space-y-1">
      {bars.map(({ task, left, width, durationMs }) => {
        const status = asStatus(task.status);
        const tone = STATUS_TONE[status];
        return (
          <li
            key={task.name}
            data-task={task.name}
            data-status={status}
            className="grid grid-cols-[minmax(6rem,10rem)_1fr_auto] items-center gap-2 text-xs"
          >
            <span className={`flex min-w-0 items-center gap-1 ${TONE_TEXT[tone]}`}>
              <StatusIcon status={status} className="h-3.5 w-3.5" />
              <span className="truncate text-zinc-800 dark:text-zinc-200">{task.name}</span>
              <span className="sr-only">: {STATUS_LABEL[status]}</span>
            </span>
            <span
              className="relative h-2.5 rounded bg-zinc-100 dark:bg-zinc-800"
              aria-hidden="true"
            >
              {left !== null && width !== null ? (
                <span
                  className={`absolute inset-y-0 rounded ${BAR[tone]}`}
                  style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                />
              ) : null}
            </span>
            <span className="w-14 text-right text-zinc-500 tabular-nums" suppressHydrationWarning>
              {formatDuration(durationMs)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
