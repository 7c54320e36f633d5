// Small Tekton rules shared by the run controllers: the Succeeded condition, Go durations,
// $(params…)/$(tasks…results…) substitution and the labels children inherit.
import type { KubeObject } from "../kube";
import { kubeTime } from "./clock";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

export function succeeded(obj: KubeObject | undefined): Condition | undefined {
  const conds = (obj?.status as { conditions?: Condition[] } | undefined)?.conditions;
  return conds?.find((c) => c.type === "Succeeded");
}

export function isDone(obj: KubeObject | undefined): boolean {
  const s = succeeded(obj)?.status;
  return s === "True" || s === "False";
}

export function condition(
  status: Condition["status"],
  reason: string,
  message: string,
  at: Date,
): Condition {
  return { type: "Succeeded", status, reason, message, lastTransitionTime: kubeTime(at) };
}

/** Go's time.ParseDuration for the forms Tekton timeouts use ("1h0m0s", "90s", "500ms"). */
export function parseDuration(text: string | undefined): number | null {
  if (!text) return null;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = "";
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const n = Number(m[1]);
    total += m[2] === "h" ? n * 3_600_000 : m[2] === "m" ? n * 60_000 : m[2] === "s" ? n * 1000 : n;
    matched += m[0];
  }
  return matched === text && text !== "" ? total : null;
}

export interface Named {
  name: string;
  value: unknown;
}

export interface SubstitutionContext {
  params: Record<string, unknown>;
  results: Record<string, Record<string, string>>;
}

/** Replaces $(params.x), $(params.x[*]) (a whole array) and $(tasks.t.results.r). */
export function substitute(value: unknown, ctx: SubstitutionContext): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, ctx));
  if (typeof value !== "string") return value;
  const whole = /^\$\(params\.([\w-]+)\[\*\]\)$/.exec(value);
  if (whole) return ctx.params[whole[1]];
  return value
    .replace(/\$\(params\.([\w-]+)\)/g, (m, name: string) => {
      const v = ctx.params[name];
      return typeof v === "string" ? v : m;
    })
    .replace(/\$\(tasks\.([\w-]+)\.results\.([\w-]+)\)/g, (m, task: string, result: string) => {
      return ctx.results[task]?.[result] ?? m;
    });
}

export function paramMap(params: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(params)) {
    for (const p of params as Named[]) if (p && typeof p.name === "string") out[p.name] = p.value;
  }
  return out;
}

/** createChildResourceLabels: the PipelineRun's labels plus Tekton's own. */
export function childLabels(pr: KubeObject, pipelineTask: string): Record<string, string> {
  return {
    ...pr.metadata.labels,
    "tekton.dev/pipelineRun": pr.metadata.name ?? "",
    "tekton.dev/pipelineRunUID": pr.metadata.uid ?? "",
    "tekton.dev/pipelineTask": pipelineTask,
    "tekton.dev/memberOf": "tasks",
  };
}
