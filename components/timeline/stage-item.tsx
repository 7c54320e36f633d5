"use client";
// One stage of a commit's timeline: status, start, duration (ticking while it runs), where it
// ran, why it belongs to this commit, its details, links and a command to inspect it, with its
// earlier attempts folded underneath.
import { isInFlight } from "@/lib/timeline/summary";
import Link from "next/link";
import type { Role } from "@/lib/auth/roles";
import type { TimelineStage } from "@/lib/timeline/types";
import type { AttemptGroup } from "@/lib/ui/attempts";
import { useNow } from "@/lib/client/use-now";
import { inspectCommands } from "@/lib/ui/inspect-commands";
import { STATUS_LABEL, STATUS_TONE } from "@/lib/ui/status";
import { elapsedMs, formatDuration } from "@/lib/ui/time";
import { CopyCommand } from "@/components/ui/copy-command";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusIcon, TONE_TEXT } from "@/components/ui/status-icon";
import { RerunButton } from "@/components/actions/rerun-button";
import { GateCard, type CommitGate } from "@/components/gates/gate-card";
import { StageDetails } from "./stage-details";

export interface TimelineViewer {
  /** How decisions name the signed-in person, or null. */
  actor: string | null;
  roles: readonly Role[];
  /** The commit's gates, each with whether this person may decide it now. */
  gates: CommitGate[];
}

const SYSTEM_NAME: Record<string, string> = {
  git: "Git",
  kpack: "kpack",
  harbor: "Harbor",
  tekton: "Tekton",
  argocd: "Argo CD",
};

/** The run-detail page of a PipelineRun or kpack Build, when the stage is one. */
export function runHref(stage: TimelineStage): string | null {
  const r = stage.resource;
  if (!r || !stage.cluster) return null;
  const kind =
    r.system === "tekton" && r.kind === "PipelineRun"
      ? "pipelineruns"
      : r.system === "kpack" && r.kind === "Build"
        ? "builds"
        : null;
  if (!kind) return null;
  return `/runs/${[stage.cluster, r.namespace, kind, r.name].map(encodeURIComponent).join("/")}`;
}

function Duration({ stage }: { stage: TimelineStage }) {
  const running = isInFlight(stage.status) && stage.startedAt !== null && !stage.finishedAt;
  const now = useNow(running ? 1000 : 0);
  const ms = running ? elapsedMs(stage.startedAt, null, now) : stage.durationMs;
  return (
    <span className="tabular-nums" data-testid="duration" suppressHydrationWarning>
      {formatDuration(ms)}
      {running ? <span className="sr-only"> so far</span> : null}
    </span>
  );
}

function AttemptSummary({ stage }: { stage: TimelineStage }) {
  return (
    <li className="flex flex-wrap items-center gap-2 text-xs" data-testid="earlier-attempt">
      <span className={`inline-flex items-center gap-1 ${TONE_TEXT[STATUS_TONE[stage.status]]}`}>
        <StatusIcon status={stage.status} className="h-3.5 w-3.5" />
        {STATUS_LABEL[stage.status]}
      </span>
      <span>
        attempt {stage.attempt}: {stage.title}
      </span>
      <RelativeTime iso={stage.startedAt} className="text-zinc-500" />
      <span className="text-zinc-500">{formatDuration(stage.durationMs)}</span>
      {runHref(stage) ? (
        <Link href={runHref(stage)!} className="underline">
          run detail
        </Link>
      ) : null}
    </li>
  );
}

export function StageItem({
  group,
  app,
  sha,
  stages,
  viewer,
}: {
  group: AttemptGroup<TimelineStage>;
  app: string;
  sha: string;
  /** Every stage of the commit: a gate shows what its decision is about. */
  stages: TimelineStage[];
  viewer: TimelineViewer;
}) {
  const stage = group.current;
  const tone = STATUS_TONE[stage.status];
  const commands = inspectCommands(stage, sha);
  const run = runHref(stage);
  return (
    <li
      data-testid="stage"
      data-stage={stage.stage}
      data-status={stage.status}
      data-environment={stage.environment ?? ""}
      className="relative rounded-lg border border-zinc-200 bg-white p-3 sm:p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className={`inline-flex items-center gap-1.5 font-medium ${TONE_TEXT[tone]}`}>
          <StatusIcon status={stage.status} />
          <span data-testid="stage-status">{STATUS_LABEL[stage.status]}</span>
        </span>
        <h3 className="font-semibold capitalize">{stage.stage}</h3>
        {stage.environment ? (
          <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
            {stage.environment}
          </span>
        ) : null}
        <span className="min-w-0 flex-1 truncate text-sm text-zinc-600 dark:text-zinc-400">
          {stage.title}
        </span>
        {stage.attempts > 1 ? (
          <span className="text-xs text-zinc-500">
            attempt {stage.attempt} of {stage.attempts}
          </span>
        ) : null}
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <div className="flex gap-1">
          <dt>Started</dt>
          <dd>
            <RelativeTime iso={stage.startedAt} />
          </dd>
        </div>
        <div className="flex gap-1">
          <dt>Duration</dt>
          <dd>
            <Duration stage={stage} />
          </dd>
        </div>
        {stage.cluster ? (
          <div className="flex gap-1">
            <dt>Cluster</dt>
            <dd>{stage.cluster}</dd>
          </div>
        ) : null}
        {stage.linkedBy ? (
          <div className="flex gap-1">
            <dt>Linked by</dt>
            <dd data-testid="linked-by">{stage.linkedBy}</dd>
          </div>
        ) : null}
        {stage.deleted ? (
          <div>
            no longer in {stage.resource ? SYSTEM_NAME[stage.resource.system] : "its system"};
            history kept
          </div>
        ) : null}
      </dl>
      {stage.reason || stage.message ? (
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          {[stage.reason, stage.message].filter(Boolean).join(": ")}
        </p>
      ) : null}
      {/* Digests and revisions are long unbroken words: let them wrap on a phone. */}
      <div className="mt-3 min-w-0 [overflow-wrap:anywhere]">
        {stage.stage === "approval" ? (
          <GateCard
            app={app}
            sha={sha}
            stage={stage}
            stages={stages}
            gates={viewer.gates}
            actor={viewer.actor}
          />
        ) : (
          <StageDetails stage={stage} />
        )}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-4 text-sm empty:hidden">
        <RerunButton
          resource={stage.resource}
          cluster={stage.cluster}
          roles={viewer.roles}
          commit={{ app, sha }}
        />
        {run || stage.url ? (
          <>
            {run ? (
              <Link href={run} className="text-sky-700 underline dark:text-sky-400">
                Steps and logs
              </Link>
            ) : null}
            {stage.url ? (
              <a
                href={stage.url}
                className="text-sky-700 underline dark:text-sky-400"
                rel="noreferrer"
                target="_blank"
              >
                Open in {stage.resource ? SYSTEM_NAME[stage.resource.system] : "its system"}
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
            ) : null}
          </>
        ) : null}
      </div>
      {commands.length ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-zinc-600 select-none dark:text-zinc-400">
            Inspect in a terminal
          </summary>
          <ul className="mt-2 space-y-1.5">
            {commands.map((c) => (
              <li key={c.command}>
                <span className="text-xs text-zinc-500">{c.label}</span>
                <CopyCommand label={c.label} command={c.command} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {group.earlier.length ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-zinc-600 select-none dark:text-zinc-400">
            {group.earlier.length} earlier attempt{group.earlier.length > 1 ? "s" : ""}
          </summary>
          <ul className="mt-2 space-y-1">
            {group.earlier.map((s) => (
              <AttemptSummary key={s.id} stage={s} />
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}
