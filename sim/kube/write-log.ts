// Every write request the API answered, with who made it: what tests read to check what a client wrote.

export interface WriteEntry {
  at: string;
  cluster: string;
  verb: "create" | "update" | "patch" | "delete" | "deletecollection";
  /** The object's Kind, e.g. "CustomRun". */
  kind: string;
  apiVersion: string;
  /** The resource's plural name, e.g. "customruns". */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The effective user: Impersonate-User when sent, else the token's user. */
  user: string;
  groups: string[];
  /** The token's user when the request impersonated someone. */
  impersonatedBy?: string;
  /** For patches: "merge", "json", "strategic" or "apply". */
  patchType?: string;
  dryRun: boolean;
  /** The request body, parsed as JSON when it was JSON. */
  body: unknown;
  /** The HTTP status code of the answer. */
  code: number;
}

export class WriteLog {
  private readonly list: WriteEntry[] = [];
  private readonly limit: number;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  record(entry: WriteEntry): void {
    this.list.push(entry);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
  }

  /** A copy of the entries, oldest first, optionally filtered. */
  entries(
    filter: Partial<
      Pick<WriteEntry, "cluster" | "verb" | "kind" | "namespace" | "name" | "user">
    > = {},
  ): WriteEntry[] {
    return this.list
      .filter((e) =>
        Object.entries(filter).every(([k, v]) => v === undefined || e[k as keyof WriteEntry] === v),
      )
      .map((e) => structuredClone(e));
  }

  clear(): void {
    this.list.length = 0;
  }
}
