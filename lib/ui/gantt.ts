// A pipeline's tasks as bars on one time axis (a small Gantt chart). Pure: the caller passes now
// for tasks still running.

export interface GanttTask {
  name: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface GanttBar<T extends GanttTask> {
  task: T;
  /** Offset and width as percentages of the axis; null when the task has not started. */
  left: number | null;
  width: number | null;
  durationMs: number | null;
}

export function ganttBars<T extends GanttTask>(
  tasks: T[],
  now: number,
): { bars: GanttBar<T>[]; spanMs: number } {
  const times = tasks.flatMap((t) => {
    const start = t.startedAt ? Date.parse(t.startedAt) : NaN;
    if (Number.isNaN(start)) return [];
    const end = t.finishedAt ? Date.parse(t.finishedAt) : now;
    return [{ start, end: Number.isNaN(end) ? now : Math.max(start, end) }];
  });
  if (times.length === 0) {
    return {
      bars: tasks.map((task) => ({ task, left: null, width: null, durationMs: null })),
      spanMs: 0,
    };
  }
  const min = Math.min(...times.map((t) => t.start));
  const max = Math.max(...times.map((t) => t.end));
  const span = Math.max(1, max - min);
  return {
    spanMs: max - min,
    bars: tasks.map((task) => {
      const start = task.startedAt ? Date.parse(task.startedAt) : NaN;
      if (Number.isNaN(start)) return { task, left: null, width: null, durationMs: null };
      const endRaw = task.finishedAt ? Date.parse(task.finishedAt) : now;
      const end = Number.isNaN(endRaw) ? now : Math.max(start, endRaw);
      return {
        task,
        left: ((start - min) / span) * 100,
        // At least a sliver, so an instant task is still visible.
        width: Math.max(1, ((end - start) / span) * 100),
        durationMs: end - start,
      };
    }),
  };
}
