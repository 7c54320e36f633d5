// Query-key factory for approval gates, rooted where lib/query-keys.ts keeps `approvals`: the
// inbox's lists by status. The `gate` server-sent event and decisions invalidate these keys.

export type GateListStatus = "pending" | "decided";

export const gateKeys = {
  all: ["approvals"] as const,
  lists: () => [...gateKeys.all, "list"] as const,
  list: (status: GateListStatus) => [...gateKeys.lists(), status] as const,
};
