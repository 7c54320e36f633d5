// What each kind of stage adds (the API's per-stage details, docs/api.md): build reason and number, digest and tags,
// scan counts by severity, pipeline tasks, approval decisions, Argo CD revision and health.
import type { ScanCounts } from "@/lib/sources/types";
import type { PipelineTask, TimelineStage } from "@/lib/timeline/types";
import { healthStatus } from "@/lib/ui/status";
import { StatusBadge } from "@/components/ui/status-icon";
import { RelativeTime } from "@/components/ui/relative-time";
import { DecisionList } from "@/components/gates/decision-list";
import { TaskGantt } from "./task-gantt";

type D = Record<string, unknown>;
const str = (d: D, k: string) => (typeof d[k] === "string" ? (d[k] as string) : null);
const num = (d: D, k: string) => (typeof d[k] === "number" ? (d[k] as number) : null);
const strings = (d: D, k: string) =>
  Array.isArray(d[k]) ? (d[k] as unknown[]).filter((x): x is string => typeof x === "string") : [];

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col sm:flex-row sm:gap-2">
      <dt className="shrink-0 text-zinc-500 sm:w-28 dark:text-zinc-400">{name}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

const mono = "font-mono text-xs break-all";

const SEVERITIES: (keyof ScanCounts)[] = ["critical", "high", "medium", "low", "unknown"];
const SEVERITY_LOOK: Record<keyof ScanCounts, string> = {
  critical: "border-red-400 text-red-800 dark:border-red-700 dark:text-red-300",
  high: "border-orange-400 text-orange-800 dark:border-orange-700 dark:text-orange-300",
  medium: "border-amber-400 text-amber-800 dark:border-amber-700 dark:text-amber-300",
  low: "border-zinc-300 text-zinc-700 dark:border-zinc-600 dark:text-zinc-300",
  unknown: "border-zinc-300 text-zinc-500 dark:border-zinc-600 dark:text-zinc-400",
};

function ScanCountsList({ counts }: { counts: ScanCounts }) {
  return (
    <ul aria-label="Vulnerabilities by severity" className="flex flex-wrap gap-1.5">
      {SEVERITIES.map((s) => (
        <li
          key={s}
          data-severity={s}
          data-count={counts[s]}
          className={`rounded border px-1.5 py-0.5 text-xs ${SEVERITY_LOOK[s]}`}
        >
          <span className="font-semibold tabular-nums">{counts[s]}</span> {s}
        </li>
      ))}
    </ul>
  );
}

export function StageDetails({ stage }: { stage: TimelineStage }) {
  const d = (stage.details ?? {}) as D;
  switch (stage.stage) {
    case "build":
      return (
        <dl className="space-y-1 text-sm">
          <Field name="Build">
            #{num(d, "buildNumber") ?? "?"} {str(d, "reason") ? `(${str(d, "reason")})` : null}
          </Field>
          {str(d, "image") ? (
            <Field name="Image">
              <span className={mono}>{str(d, "image")}</span>
            </Field>
          ) : null}
          {str(d, "digest") ? (
            <Field name="Digest">
              <span className={mono} data-testid="digest">
                {str(d, "digest")}
              </span>
            </Field>
          ) : null}
        </dl>
      );
    case "image":
      return (
        <dl className="space-y-1 text-sm">
          <Field name="Repository">
            <span className={mono}>{str(d, "repository")}</span>
          </Field>
          <Field name="Digest">
            <span className={mono} data-testid="digest">
              {str(d, "digest")}
            </span>
          </Field>
          {strings(d, "tags").length ? (
            <Field name="Tags">
              <span className={mono}>{strings(d, "tags").join(", ")}</span>
            </Field>
          ) : null}
          <Field name="Pushed">
            <RelativeTime iso={str(d, "pushedAt")} />
          </Field>
          {d.signed !== null && d.signed !== undefined ? (
            <Field name="Signed">{d.signed ? "yes" : "no"}</Field>
          ) : null}
        </dl>
      );
    case "scan": {
      const counts = d.counts as ScanCounts | null;
      return (
        <dl className="space-y-1 text-sm">
          <Field name="Scanner">{str(d, "scanner") ?? "—"}</Field>
          <Field name="Severity">{str(d, "severity") ?? "—"}</Field>
          <Field name="Findings">
            {counts ? <ScanCountsList counts={counts} /> : "no summary (the scan did not finish)"}
          </Field>
        </dl>
      );
    }
    case "pipeline":
    case "verify":
      return (
        <div className="space-y-2 text-sm">
          {str(d, "pipeline") ? (
            <p>
              <span className="text-zinc-500 dark:text-zinc-400">Pipeline</span>{" "}
              {str(d, "pipeline")}
            </p>
          ) : null}
          <TaskGantt tasks={(Array.isArray(d.tasks) ? d.tasks : []) as PipelineTask[]} />
        </div>
      );
    case "approval": {
      const decisions = (Array.isArray(d.decisions) ? d.decisions : []) as {
        user: string;
        decision: string;
        comment: string | null;
        at: string | null;
      }[];
      return (
        <dl className="space-y-1 text-sm">
          {str(d, "message") ? <Field name="Message">{str(d, "message")}</Field> : null}
          <Field name="Needs">
            {num(d, "minApprovals") ?? 1} approval{num(d, "minApprovals") === 1 ? "" : "s"} from{" "}
            {strings(d, "approvers").join(", ") || "any approver"}
          </Field>
          <Field name="Decisions">
            {decisions.length === 0 ? "none yet" : <DecisionList decisions={decisions} />}
          </Field>
        </dl>
      );
    }
    case "deploy":
      return (
        <dl className="space-y-1 text-sm">
          <Field name="Application">{str(d, "application")}</Field>
          <Field name="Revision">
            <span className={mono}>{str(d, "revision") ?? "—"}</span>
          </Field>
          <Field name="Sync">{str(d, "syncStatus") ?? "—"}</Field>
          <Field name="Health">
            <StatusBadge
              status={healthStatus(str(d, "health"))}
              label={str(d, "health") ?? "Unknown"}
            />
          </Field>
          {strings(d, "images").length ? (
            <Field name="Images">
              <span className={mono}>{strings(d, "images").join(", ")}</span>
            </Field>
          ) : null}
        </dl>
      );
    default:
      return null;
  }
}
