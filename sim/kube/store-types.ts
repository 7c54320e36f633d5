// Options and argument types of the Store's in-process API.
import type { SelectOptions } from "./filter";
import type { ResourceRegistry } from "./registry";
import type { KindRef, ResourceType } from "./types";

export type PatchType = "merge" | "json" | "strategic" | "apply";
export type TypeArg = KindRef | ResourceType;

export interface StoreOptions {
  cluster: string;
  registry: ResourceRegistry;
  /** How many events the history keeps for watch resumption (default 1000). */
  historyWindow?: number;
  now?: () => Date;
  /** Called when an in-process watch listener throws (the store carries on). */
  onListenerError?: (err: unknown) => void;
}

export interface CreateOptions {
  namespace?: string;
  dryRun?: boolean;
  /** In-process seeding only: keep `status` on create although it is a subresource. */
  keepStatus?: boolean;
  /** The resource; defaults to the object's apiVersion/kind. */
  type?: TypeArg;
}

export interface UpdateOptions {
  namespace?: string;
  dryRun?: boolean;
  subresource?: "status";
  type?: TypeArg;
}

export interface DeleteOptions {
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions extends SelectOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface WatchOptions extends SelectOptions {
  resourceVersion?: string;
  sendInitialEvents?: boolean;
}
