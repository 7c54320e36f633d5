// The parameters of an approval gate, read one way wherever they are read: the gate controller
// (lib/gates/spec.ts) and the timeline's approval stage (approval-gate.ts). Pure.

/** `["alice", "group:ops"]`, or one string "alice, bob". */
export function approverList(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string")
    : typeof value === "string"
      ? value.split(",")
      : [];
  return [...new Set(items.map((s) => s.trim()).filter(Boolean))];
}

/**
 * An ApprovalTask's `spec.approvers` as gate entries: a User by name, a Group as `group:NAME`
 * (manual-approval-gate's own shape: `{ type: User | Group, name }`).
 */
export function approvalTaskEntries(approvers: unknown): string[] {
  if (!Array.isArray(approvers)) return [];
  return approvers.flatMap((a: unknown) => {
    if (typeof a !== "object" || a === null) return [];
    const { type, name } = a as { type?: unknown; name?: unknown };
    if (typeof name !== "string" || !name) return [];
    return [type === "Group" && !name.startsWith("group:") ? `group:${name}` : name];
  });
}

/** "true" / "false" (or a boolean); null when absent. */
export function parseBool(value: unknown): boolean | null | "invalid" {
  if (value === undefined || value === null || value === "") return null;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return "invalid";
}

/** A whole number ≥ 1; null when absent. */
export function parseCount(value: unknown): number | null | "invalid" {
  if (value === undefined || value === null || value === "") return null;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : "invalid";
}

/** Who may decide a gate, as its parameters (or a held PipelineRun's annotations) say. */
export type ApprovalPolicy = {
  approvers: string[];
  minApprovals: number;
  message: string | null;
  authorMayDecide: boolean;
};

/** The policy, or why the parameters cannot open a gate. */
export function readApprovalPolicy(raw: {
  approvers: unknown;
  minApprovals: unknown;
  message: unknown;
  allowAuthor: unknown;
}): ApprovalPolicy | string {
  const min = parseCount(raw.minApprovals);
  if (min === "invalid")
    return `minApprovals must be a whole number of at least 1 (got ${JSON.stringify(raw.minApprovals)})`;
  const allow = parseBool(raw.allowAuthor);
  if (allow === "invalid")
    return `allowAuthorApproval must be "true" or "false" (got ${JSON.stringify(raw.allowAuthor)})`;
  const approvers = approverList(raw.approvers);
  const bad = approvers.find((a) => a === "group:" || /\s/.test(a));
  if (bad !== undefined) return `approvers has a malformed entry ${JSON.stringify(bad)}`;
  return {
    approvers,
    minApprovals: min ?? 1,
    message: typeof raw.message === "string" && raw.message.trim() ? raw.message.trim() : null,
    authorMayDecide: allow ?? false,
  };
}
