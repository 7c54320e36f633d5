// Approval gates as `approval` stages. manual-approval-gate gives one gate two objects (its
// CustomRun and an ApprovalTask of the same name): they merge into one stage here.
import {
  isFinished,
  type ApprovalDetails,
  type Observation,
  type Status,
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
import type { GateRow, LinkBases, ResourceRow } from "./types";
import { tektonUrl } from "./urls";

interface Part {
  row: ResourceRow;
  o: Observation;
  d: ApprovalDetails;
}

/** Rows of one gate: same cluster, namespace and CustomRun name. */
export function groupApprovals(rows: ResourceRow[]): Part[][] {
  const gates = new Map<string, Part[]>();
  for (const row of rows) {
    const o = asObservation(row.observation);
    if (!o || o.details.type !== "approval") continue;
    const d = o.details as ApprovalDetails;
    const key = JSON.stringify([row.cluster, row.namespace, d.customRun ?? row.name]);
    const parts = gates.get(key);
    if (parts) parts.push({ row, o, d });
    else gates.set(key, [{ row, o, d }]);
  }
  return [...gates.values()];
}

/**
 * One stage per gate. The CustomRun's outcome is what the PipelineRun acts on, so a final one wins;
 * while undecided the ApprovalTask tells waiting from pending. Decisions, approvers and counts come
 * from the ApprovalTask (the controller's record), the gate id and completion time from the CustomRun.
 * Where Shiplog keeps the gate (`gates`), its record wins: it holds every decision the moment it is
 * taken, while the cluster's objects show them only once the outcome is written back.
 */
export function approvalDraft(
  parts: Part[],
  link: LinkLookup,
  bases: LinkBases,
  commitSha: string,
  gates: readonly GateRow[] = [],
): Draft {
  const byId = [...parts].sort((a, b) => (a.row.id < b.row.id ? -1 : 1));
  const task = byId.find((p) => p.row.kind === "ApprovalTask");
  const run = byId.find((p) => p.row.kind === "CustomRun");
  // The ApprovalTask is what a decision is written to; the oldest row keeps the id stable.
  const main = task ?? run ?? byId[0];
  const runStatus = run ? asStatus(run.row.status) : null;
  const decidedByRun = run !== undefined && runStatus !== null && (isFinished(runStatus) || !task);
  const status: Status = decidedByRun && runStatus ? runStatus : asStatus(main.row.status);
  const best = task ?? main;
  const linked = byId.map((p) => link("resource", p.row.id)).find(Boolean);
  const base = resourceBase(main.row, main.o, linked, commitSha);
  const environment = environmentOf("approval", main.row, main.o);
  const parent = main.o.parent;
  const pipelineTask = parent?.pipelineTask ?? null;
  const gate = gates.find((g) =>
    parts.some((p) => p.row.cluster === g.cluster && p.row.uid === g.uid),
  );
  // A gate decided outside Shiplog (in the cluster) has no decisions of ours: the objects' count.
  const recorded = gate && gate.decisions.length > 0 ? gate : undefined;
  const decisions = recorded
    ? recorded.decisions
    : best.d.decisions.length > 0
      ? best.d.decisions
      : (run?.d.decisions ?? []);
  return {
    ...base,
    id: `resource-${byId[0].row.id}`,
    seq: Number(byId[0].row.id),
    stage: "approval",
    status,
    // The CustomRun starts when the pipeline reaches the gate; the ApprovalTask has no end time.
    startedAt: iso(run?.row.startedAt ?? main.row.startedAt),
    finishedAt: iso(run?.row.finishedAt ?? main.row.finishedAt),
    reason: decidedByRun && run ? run.row.reason : main.row.reason,
    title: environment
      ? `Approval for ${environment}`
      : `Approval ${pipelineTask ?? main.d.customRun ?? main.row.name}`,
    environment,
    url: parent
      ? tektonUrl(bases, "PipelineRun", main.row.namespace, parent.name)
      : tektonUrl(bases, "CustomRun", main.row.namespace, run?.row.name ?? main.row.name),
    details: {
      gateId: gate?.gateId ?? run?.d.gateId ?? best.d.gateId,
      minApprovals: gate?.minApprovals ?? best.d.minApprovals ?? run?.d.minApprovals ?? null,
      approvers:
        gate?.approvers ??
        (best.d.approvers.length > 0 ? best.d.approvers : (run?.d.approvers ?? [])),
      decisions,
      approvalsReceived: recorded
        ? recorded.decisions.filter((d) => d.decision === "approve").length
        : (best.d.approvalsReceived ?? run?.d.approvalsReceived ?? null),
      message: best.d.message ?? run?.d.message ?? null,
      customRun: run?.row.name ?? best.d.customRun,
    },
    group: pipelineTask ?? main.d.customRun ?? main.row.name,
  };
}

const GATE_STATUS: Record<string, Status> = {
  pending: "waiting",
  approved: "succeeded",
  rejected: "failed",
  expired: "failed",
  cancelled: "cancelled",
};

/**
 * A PipelineRun created with `spec.status: PipelineRunPending` waits for Shiplog's gate before it
 * starts: an approval stage of its own, beside the run's `pending` pipeline stage.
 */
export function pendingStartDraft(
  row: ResourceRow,
  o: Observation,
  gate: GateRow,
  link: LinkLookup,
  bases: LinkBases,
  commitSha: string,
): Draft {
  const base = resourceBase(row, o, link("resource", row.id), commitSha);
  const environment = environmentOf("approval", row, o);
  return {
    ...base,
    id: `gate-${gate.gateId}`,
    stage: "approval",
    status: GATE_STATUS[gate.status] ?? "unknown",
    startedAt: gate.createdAt,
    finishedAt: gate.decidedAt,
    reason: gate.status === "pending" ? "WaitingToStart" : row.reason,
    title: environment ? `Approval to start (${environment})` : `Approval to start ${row.name}`,
    environment,
    url: tektonUrl(bases, "PipelineRun", row.namespace, row.name),
    details: {
      gateId: gate.gateId,
      minApprovals: gate.minApprovals,
      approvers: gate.approvers,
      decisions: gate.decisions,
      approvalsReceived: gate.decisions.filter((d) => d.decision === "approve").length,
      message: gate.message,
      customRun: null,
    },
    group: `start/${row.namespace}/${row.name}`,
  };
}
