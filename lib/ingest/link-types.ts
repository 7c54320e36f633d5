// What the linker passes around: items to link, their candidate links and the rows it reads.
import type { Observation } from "../sources/types";
import type { LinkRule } from "../timeline/correlate";

export type Linkable =
  | {
      type: "resource";
      id: bigint;
      cluster: string;
      environment?: string | null;
      observation: Observation;
    }
  | { type: "artifact"; id: bigint; observation: Observation };

export type Linked = { item: Linkable; commitId: bigint; rule?: LinkRule };
export type Candidate = {
  item: Linkable;
  commitId: bigint;
  rule: LinkRule;
  evidence: string;
  /** The commit the row was on when this round read it (null: none); absent when not read. */
  current?: bigint | null;
};
export type Row = {
  id: bigint;
  cluster: string;
  commit_id: bigint | null;
  environment: string | null;
  observation: Observation;
};

/**
 * Rows the batch put on the commit decided for them, with every fact the batch holds: their
 * links are final, and the dependents' rounds need not read them again.
 */
export type Settled = { resources: bigint[]; artifacts: bigint[] };

export const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v));
export const uniq = <T>(values: T[]) => [...new Set(values)];
