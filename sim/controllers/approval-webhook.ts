// openshift-pipelines manual-approval-gate's validating webhook for ApprovalTasks (its
// pkg/reconciler/webhook): an update must come from a listed approver (a User entry by name, or a
// member of a Group entry by the request's groups — Impersonate-Group included), may change only
// that person's own entry, only to approve or reject, once, and never after the task is final.
import type { AdmissionRequest, KubeObject } from "../kube";
import { KubeError } from "../kube";

interface Entry {
  name: string;
  type: "User" | "Group";
  input: string;
  message?: string;
  users?: Array<{ name: string; input: string; message?: string }>;
}

const WEBHOOK = "validation.webhook.manual-approval.openshift-pipelines.org";

function deny(reason: string): never {
  throw new KubeError(
    403,
    "Forbidden",
    `admission webhook "${WEBHOOK}" denied the request: ${reason}`,
  );
}

const entries = (obj: KubeObject) =>
  ((obj.spec as { approvers?: Entry[] } | undefined)?.approvers ?? []) as Entry[];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const decided = (input: string | undefined) => input === "approve" || input === "reject";

export function approvalTaskWebhook(request: AdmissionRequest): void {
  const { oldObject, object, user } = request;
  const state = (oldObject.status as { state?: string } | undefined)?.state;
  const before = entries(oldObject);
  const after = entries(object);
  const { approvers: _a, ...oldRest } = (oldObject.spec ?? {}) as Record<string, unknown>;
  const { approvers: _b, ...newRest } = (object.spec ?? {}) as Record<string, unknown>;
  if (same(before, after) && same(oldRest, newRest)) return; // labels, annotations: not ours to judge
  if (state === "approved" || state === "rejected") deny(`the approval task is already ${state}`);
  if (!same(oldRest, newRest)) deny("only spec.approvers may change");
  if (
    before.length !== after.length ||
    before.some((e, i) => e.name !== after[i].name || e.type !== after[i].type)
  )
    deny("the list of approvers may not change");
  const own = (e: Entry) =>
    (e.type === "User" && e.name === user.user) ||
    (e.type === "Group" && user.groups.includes(e.name));
  if (!before.some(own)) deny(`user ${user.user} is not an approver of this task`);
  for (let i = 0; i < before.length; i++) {
    const was = before[i];
    const now = after[i];
    if (same(was, now)) continue;
    if (!own(was)) deny(`user ${user.user} may only change their own approval`);
    if (was.type === "User") {
      if (decided(was.input)) deny(`user ${user.user} has already decided`);
      if (!decided(now.input)) deny("input must be approve or reject");
      continue;
    }
    const mine = (now.users ?? []).find((u) => u.name === user.user);
    const others = (list: Entry["users"]) => (list ?? []).filter((u) => u.name !== user.user);
    if (!same(others(was.users), others(now.users)))
      deny(`user ${user.user} may only change their own approval`);
    if ((was.users ?? []).some((u) => u.name === user.user && decided(u.input)))
      deny(`user ${user.user} has already decided`);
    if (!mine || !decided(mine.input) || !decided(now.input))
      deny("input must be approve or reject");
  }
}
