// A PipelineRun as a `pipeline` or `verify` stage, its tasks read from its child TaskRun and
// CustomRun rows when the store has them (they carry real statuses and times), else from the run.
import {
  STAGES,
  type Observation,
  type PipelineDetails,
  type Stage,
  type TaskDetails,
  type TaskSummary,
} from "@/lib/sources/types";
import {
  asObservation,
  asStatus,
  environmentOf,
  iso,
  resourceBase,
  type Draft,
  type LinkLookup,
} from "./draft";
import type { LinkBases, PipelineTask, ResourceRow } from "./types";
import { tektonUrl } from "./urls";

/** Child rows by the PipelineRun they belong to (cluster + parent key). */
export type ChildIndex = Map<string, ResourceRow[]>;

export function childKey(cluster: string, parentKey: string): string {
  return `${cluster}\u0000${parentKey}`;
}

export function indexChildren(rows: ResourceRow[]): ChildIndex {
  const index: ChildIndex = new Map();
  for (const row of rows) {
    // An ApprovalTask shadows its CustomRun (same gate): the CustomRun stands for it as a task.
    if (!row.parentKey || row.kind === "ApprovalTask") continue;
    const key = childKey(row.cluster, row.parentKey);
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  }
  return index;
}

function fromSummary(t: TaskSummary): PipelineTask {
  return {
    name: t.name,
    status: t.status,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    kind: t.kind,
    runName: t.runName,
  };
}

function taskName(row: ResourceRow, o: Observation): string {
  const own = o.details.type === "task" ? (o.details as TaskDetails).pipelineTask : null;
  return own ?? o.parent?.pipelineTask ?? row.name;
}

/** The run's own task list, with each child row's status and times laid over its entry. */
export function pipelineTasks(run: Observation, children: ResourceRow[]): PipelineTask[] {
  const tasks = (run.details as PipelineDetails).tasks.map(fromSummary);
  const extra: PipelineTask[] = [];
  for (const row of [...children].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const o = asObservation(row.observation);
    if (!o) continue;
    // A recreated PipelineRun of the same name has other children: the uids tell them apart.
    if (o.parent?.uid && run.uid && o.parent.uid !== run.uid) continue;
    const task: PipelineTask = {
      name: taskName(row, o),
      status: asStatus(row.status),
      startedAt: iso(row.startedAt),
      finishedAt: iso(row.finishedAt),
      kind: row.kind,
      runName: row.name,
    };
    const at = tasks.findIndex((t) => t.name === task.name || t.runName === task.runName);
    if (at >= 0) tasks[at] = task;
    else {
      const again = extra.findIndex((t) => t.name === task.name);
      if (again >= 0) extra[again] = task;
      else extra.push(task);
    }
  }
  const startOf = (t: PipelineTask) => t.startedAt ?? "\uffff";
  return [...tasks, ...extra.sort((a, b) => (startOf(a) < startOf(b) ? -1 : 1))];
}

export function pipelineDraft(
  row: ResourceRow,
  o: Observation,
  children: ChildIndex,
  link: LinkLookup,
  bases: LinkBases,
  commitSha: string,
): Draft {
  // Usually pipeline or verify; a shiplog.dev/stage label may put a run in any stage.
  const stage = (STAGES as readonly string[]).includes(row.stage ?? "")
    ? (row.stage as Stage)
    : "pipeline";
  const pipeline = (o.details as PipelineDetails).pipeline;
  const kids = children.get(childKey(row.cluster, row.key)) ?? [];
  const word = stage === "pipeline" ? "Pipeline" : stage[0].toUpperCase() + stage.slice(1);
  return {
    ...resourceBase(row, o, link("resource", row.id), commitSha),
    stage,
    title: `${word} ${pipeline ?? `${row.namespace}/${row.name}`}`,
    environment: environmentOf(stage, row, o),
    url: tektonUrl(bases, "PipelineRun", row.namespace, row.name),
    details: { pipeline, tasks: pipelineTasks(o, kids) },
    group: pipeline ?? row.name,
  };
}
