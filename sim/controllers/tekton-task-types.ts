// What a simulated Tekton task's implementation gets (its scope) and is: the TaskRun controller
// runs it, the task catalog's implementations (tekton-tasks.ts) are written against it.
import type { KubeObject, Store } from "../kube";
import type { SimContext } from "./context";

export interface TaskScope {
  ctx: SimContext;
  cluster: string;
  store: Store;
  taskRun: KubeObject;
  params: Record<string, unknown>;
  /** Runs the named step: `body` gets a log writer and returns the exit code (0 = success). */
  step(
    name: string,
    body: (log: (line: string) => void) => Promise<number> | number,
  ): Promise<void>;
  result(name: string, value: string): void;
}

export type TaskImpl = (scope: TaskScope) => Promise<void>;
