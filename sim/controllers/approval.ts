// Approval gates. openshift-pipelines' manual-approval-gate controller (always on): an ApprovalTask
// per CustomRun, decided through spec.approvers[].input, its outcome written to the CustomRun.
// Shiplog's Approval custom task is Shiplog's to decide; only with decideGates does the simulator
// play that controller too. With decideGates it also casts the ApprovalTask approver's vote —
// except on the gates of a commit made with `humanGates`, which wait for people either way.
import type { KubeObject, Store } from "../kube";
import type { DecideGates } from "../scenario/config";
import type { SimContext } from "./context";
import { kubeTime } from "./clock";
import { ownerReference } from "./pods";
import { getOrUndefined, splitKey, watchKind, WorkQueue } from "./queue";
import { APPROVAL_TASK, SHIPLOG_APPROVAL } from "./tekton-catalog";
import { condition, isDone, paramMap, parseDuration } from "./tekton-util";

const CR = "customruns.tekton.dev";
const AT = "approvaltasks.openshift-pipelines.org";

interface Approver {
  name: string;
  type: "User" | "Group";
  input: string;
  message?: string;
  users?: Array<{ name: string; input: string }>;
}

function customRef(cr: KubeObject): { apiVersion?: string; kind?: string } {
  return (cr.spec as { customRef?: { apiVersion?: string; kind?: string } }).customRef ?? {};
}

export class ApprovalController {
  private readonly queues: Record<string, WorkQueue> = {};
  private readonly decided = new Set<string>();
  private readonly timers = new Set<string>();
  private readonly stops: Array<() => void> = [];

  constructor(private readonly ctx: SimContext) {}

  start(): void {
    for (const [cluster, store] of Object.entries(this.ctx.clusters)) {
      const q = new WorkQueue(
        `approval/${cluster}`,
        (k) => this.reconcile(store, cluster, k),
        this.ctx.scheduler,
        this.ctx.log,
      );
      this.queues[cluster] = q;
      const a = watchKind(store, CR, (key) => q.add(key));
      const b = watchKind(store, AT, (key) => q.add(key)); // same name as its CustomRun
      this.stops.push(
        () => a.stop(),
        () => b.stop(),
      );
    }
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  private reconcile(store: Store, cluster: string, key: string): void {
    const [ns, name] = splitKey(key);
    const cr = getOrUndefined(store, CR, ns, name);
    if (!cr || isDone(cr)) return;
    const ref = customRef(cr);
    const id = `${cluster}/${key}`;
    if (ref.apiVersion === APPROVAL_TASK.apiVersion && ref.kind === APPROVAL_TASK.kind) {
      return this.manualApprovalGate(store, cluster, cr, id);
    }
    if (ref.apiVersion !== SHIPLOG_APPROVAL.apiVersion || ref.kind !== SHIPLOG_APPROVAL.kind)
      return;
    const mode = this.decides(cluster, ns, name);
    if (mode === "never") return; // Shiplog is this custom task's controller
    const now = this.ctx.now();
    if ((cr.spec as { status?: string }).status === "RunCancelled") {
      return this.writeRun(
        store,
        cr,
        condition(
          "False",
          "CustomRunCancelled",
          (cr.spec as { statusMessage?: string }).statusMessage ?? "cancelled",
          now,
        ),
        true,
      );
    }
    if (!cr.status) {
      const approvers = paramMap((cr.spec as { params?: unknown }).params).approvers;
      this.writeRun(
        store,
        cr,
        condition(
          "Unknown",
          "AwaitingApproval",
          `Waiting for approval from ${[approvers].flat().join(", ")}`,
          now,
        ),
        false,
      );
    }
    if (this.decided.has(id)) return;
    this.decided.add(id);
    this.ctx.scheduler.after(this.ctx.config.durations.gateDecision, () => {
      const current = getOrUndefined(store, CR, ns, name);
      if (!current || isDone(current)) return;
      const approve = mode === "approve";
      const at = this.ctx.now();
      store.patchStatus(CR, ns, name, {
        status: {
          conditions: [
            condition(
              approve ? "True" : "False",
              approve ? "Approved" : "Rejected",
              `${approve ? "Approved" : "Rejected"} by alice`,
              at,
            ),
          ],
          completionTime: kubeTime(at),
          extraFields: {
            decisions: [
              {
                user: "alice",
                decision: approve ? "approve" : "reject",
                comment: "decided by the simulator",
                at: kubeTime(at),
              },
            ],
          },
        },
      });
    });
  }

  /** How the simulator decides this gate: never when its commit's gates are left to people. */
  private decides(cluster: string, ns: string, name: string): DecideGates {
    // The gate's CustomRun is in the ledger with its PipelineRun's digest, which names the commit.
    const commit = this.ctx.ledger.commitOfGate(cluster, ns, name);
    return commit?.humanGates ? "never" : this.ctx.config.decideGates;
  }

  private writeRun(
    store: Store,
    cr: KubeObject,
    cond: ReturnType<typeof condition>,
    final: boolean,
  ) {
    const now = kubeTime(this.ctx.now());
    store.patchStatus(CR, cr.metadata.namespace, cr.metadata.name ?? "", {
      status: {
        conditions: [cond],
        startTime: (cr.status as { startTime?: string } | undefined)?.startTime ?? now,
        ...(final ? { completionTime: now } : {}),
      },
    });
  }

  /** manual-approval-gate's reconciler for one CustomRun and its ApprovalTask. */
  private manualApprovalGate(store: Store, cluster: string, cr: KubeObject, id: string): void {
    const ns = cr.metadata.namespace ?? "";
    const name = cr.metadata.name ?? "";
    const params = paramMap((cr.spec as { params?: unknown }).params);
    const now = this.ctx.now();
    let task = getOrUndefined(store, AT, ns, name);
    if (!task) {
      const approvers: Approver[] = [params.approvers].flat().map((a) => {
        const s = String(a);
        return s.startsWith("group:")
          ? { name: s.slice(6), type: "Group", input: "pending" }
          : { name: s, type: "User", input: "pending" };
      });
      const required = Number(params.numberOfApprovalsRequired ?? 1);
      store.create({
        apiVersion: APPROVAL_TASK.apiVersion,
        kind: "ApprovalTask",
        metadata: {
          name,
          namespace: ns,
          labels: { ...cr.metadata.labels, "tekton.dev/customRun": name },
          ownerReferences: [ownerReference(cr)],
        },
        spec: {
          approvers,
          numberOfApprovalsRequired: required,
          description: String(params.description ?? ""),
        },
      });
      task = store.patchStatus(AT, ns, name, {
        status: {
          state: "pending",
          approvers: approvers.map((a) => a.name),
          approvalsRequired: required,
          approvalsReceived: 0,
          approversResponse: [],
          startTime: kubeTime(now),
        },
      });
      this.writeRun(
        store,
        cr,
        condition("Unknown", "Running", `Approval task ${name} is pending`, now),
        false,
      );
      const timeout = parseDuration((cr.spec as { timeout?: string }).timeout) ?? 3_600_000;
      if (!this.timers.has(id)) {
        this.timers.add(id);
        this.ctx.scheduler.after(timeout, () => this.timeOut(store, ns, name), true);
      }
      this.castVote(store, cluster, ns, name, id);
      return;
    }
    if ((cr.spec as { status?: string }).status === "RunCancelled") {
      return this.writeRun(
        store,
        cr,
        condition("False", "CustomRunCancelled", "CustomRun cancelled", now),
        true,
      );
    }
    const spec = task.spec as { approvers: Approver[]; numberOfApprovalsRequired: number };
    const votes = spec.approvers.flatMap((a) =>
      a.type === "Group" && a.users?.length
        ? a.users.map((u) => ({ name: u.name, input: u.input, group: a }))
        : [{ name: a.name, input: a.input, group: null as Approver | null }],
    );
    const approvals = votes.filter((v) => v.input === "approve").length;
    const rejected = votes.some((v) => v.input === "reject");
    const state = rejected
      ? "rejected"
      : approvals >= spec.numberOfApprovalsRequired
        ? "approved"
        : "pending";
    store.patchStatus(AT, ns, name, {
      status: {
        state,
        approvalsReceived: approvals,
        approversResponse: spec.approvers
          .filter((a) => a.input === "approve" || a.input === "reject")
          .map((a) => ({
            name: a.name,
            type: a.type,
            response: a.input === "approve" ? "approved" : "rejected",
            ...(a.message ? { message: a.message } : {}),
            ...(a.users?.length
              ? {
                  groupMembers: a.users.map((u) => ({
                    name: u.name,
                    response: u.input === "approve" ? "approved" : "rejected",
                  })),
                }
              : {}),
          })),
      },
    });
    if (state === "approved")
      this.writeRun(store, cr, condition("True", "Succeeded", "TaskRun succeeded", now), true);
    if (state === "rejected")
      this.writeRun(store, cr, condition("False", "Failed", "Approval Task denied", now), true);
  }

  /** With decideGates, the first approver answers after a while (tkn-approvaltask approve|reject). */
  private castVote(store: Store, cluster: string, ns: string, name: string, id: string): void {
    const mode = this.decides(cluster, ns, name);
    if (mode === "never" || this.decided.has(id)) return;
    this.decided.add(id);
    this.ctx.scheduler.after(this.ctx.config.durations.gateDecision, () => {
      const task = getOrUndefined(store, AT, ns, name);
      if (!task) return;
      const approvers = structuredClone((task.spec as { approvers: Approver[] }).approvers);
      const first = approvers.find((a) => a.type === "User");
      if (!first || first.input !== "pending") return;
      first.input = mode === "approve" ? "approve" : "reject";
      first.message = "decided by the simulator";
      store.update({ ...task, spec: { ...(task.spec as object), approvers } });
    });
  }

  private timeOut(store: Store, ns: string, name: string): void {
    const cr = getOrUndefined(store, CR, ns, name);
    if (!cr || isDone(cr)) return;
    store.patchStatus(AT, ns, name, { status: { state: "rejected" } });
    this.writeRun(
      store,
      cr,
      condition(
        "False",
        "Failed",
        `Approval task ${name} is failed because of timeout`,
        this.ctx.now(),
      ),
      true,
    );
  }
}
