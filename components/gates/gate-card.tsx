"use client";
// An approval stage on a commit's timeline, with everything needed to decide it: the image and
// its scan, the pipeline's tasks so far, the environment and manifests revision, the message,
// the decisions so far — and Approve / Reject for those who may, else why they may not.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { ScanCounts } from "@/lib/sources/types";
import type { TimelineStage } from "@/lib/timeline/types";
import { useNow } from "@/lib/client/use-now";
import { gateContext } from "@/lib/ui/gate-context";
import {
  approvalProgress,
  currentAccess,
  decisionOutcome,
  gateStatusOfStage,
  reasonText,
  type GateDecision,
  type GateView,
} from "@/lib/ui/gates";
import { STATUS_LABEL, STATUS_TONE } from "@/lib/ui/status";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusIcon, TONE_TEXT } from "@/components/ui/status-icon";
import { DecideButtons } from "./decide-buttons";
import { DecisionList } from "./decision-list";
import { GateStatusBadge } from "./gate-status";

/** A gate as the server gave it for this commit, with what this person may do about it. */
export type CommitGate = GateView & { resource?: { namespace: string; name: string } };

type D = Record<string, unknown>;
const SEVERITIES: (keyof ScanCounts)[] = ["critical", "high", "medium", "low", "unknown"];

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col sm:flex-row sm:gap-2">
      <dt className="shrink-0 text-zinc-500 sm:w-36 dark:text-zinc-400">{name}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** The stage's gate among the server's: by Shiplog's gate id, else by its object's name. */
function findGate(stage: TimelineStage, gates: CommitGate[]): CommitGate | null {
  const d = (stage.details ?? {}) as D;
  const byId = typeof d.gateId === "string" ? gates.find((g) => g.id === d.gateId) : undefined;
  if (byId) return byId;
  const name = typeof d.customRun === "string" ? d.customRun : stage.resource?.name;
  return (
    gates.find(
      (g) => g.resource?.name === name && g.resource?.namespace === stage.resource?.namespace,
    ) ?? null
  );
}

export function GateCard({
  app,
  sha,
  stage,
  stages,
  gates,
  actor,
}: {
  app: string;
  sha: string;
  /** The approval stage. */
  stage: TimelineStage;
  /** All of the commit's stages (the timeline's, kept live). */
  stages: TimelineStage[];
  /** The commit's gates with the signed-in person's access (lib/gates/inbox.ts commitGates). */
  gates: CommitGate[];
  /** How decisions name the signed-in person (GateInbox.actor), or null. */
  actor: string | null;
}) {
  const router = useRouter();
  const now = useNow(15_000);
  const [answered, setAnswered] = useState<GateView | null>(null);
  const d = (stage.details ?? {}) as D;
  const server = findGate(stage, gates);
  const gateId = typeof d.gateId === "string" ? d.gateId : (server?.id ?? null);

  // A gate opened after this page was rendered: ask the server (once) who may decide it.
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (gateId && !server && asked.current !== gateId) {
      asked.current = gateId;
      router.refresh();
    }
  }, [gateId, server, router]);

  const stageDecisions = (Array.isArray(d.decisions) ? d.decisions : []) as GateDecision[];
  // The answer to a decision made here is about that gate only: a re-run of the pipeline brings
  // its new gate to this same card.
  const ours = answered && answered.id === gateId ? answered : null;
  const known = ours ?? server;
  // Shiplog's decision record names people as the API does; the stage catches up (and may name
  // them as the cluster does) once the cluster has it, or shows decisions newer than our copy.
  const decisions =
    known && known.decisions.length >= stageDecisions.length ? known.decisions : stageDecisions;
  const fromStage = gateStatusOfStage(stage.status, stage.reason);
  const status = fromStage === "pending" && known ? known.status : fromStage;
  const minApprovals =
    typeof d.minApprovals === "number" ? d.minApprovals : (known?.minApprovals ?? 1);
  const approvers = Array.isArray(d.approvers)
    ? (d.approvers as string[])
    : (known?.approvers ?? []);
  const message = typeof d.message === "string" ? d.message : (known?.message ?? null);
  const expiresAt = known?.expiresAt ?? null;
  const access = currentAccess(
    server ? { canDecide: server.canDecide ?? false, reason: server.reason ?? null } : null,
    { status, expiresAt, decisions },
    actor,
    now,
  );
  const context = gateContext(stages, stage);
  const progress = approvalProgress(minApprovals, decisions);

  return (
    <section
      aria-label={`Approval gate${stage.environment ? ` for ${stage.environment}` : ""}`}
      data-testid="gate-card"
      data-gate-id={gateId ?? ""}
      className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700"
    >
      <div className="flex flex-wrap items-center gap-2">
        <GateStatusBadge status={status} />
        <span className="text-sm" data-testid="gate-progress">
          {progress.text}
        </span>
        {expiresAt && status === "pending" ? (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            expires <RelativeTime iso={expiresAt} />
          </span>
        ) : null}
      </div>
      {message ? <p className="mt-2 text-sm font-medium">{message}</p> : null}
      <dl className="mt-3 space-y-1.5 text-sm">
        <Field name="Environment">{stage.environment ?? "—"}</Field>
        <Field name="Image">
          {context.image ? (
            <span className="font-mono text-xs break-all" data-testid="gate-digest">
              {context.image.repository ? `${context.image.repository}@` : ""}
              {context.image.digest}
            </span>
          ) : (
            "no image yet"
          )}
        </Field>
        <Field name="Scan">
          {context.scan?.counts ? (
            <ul aria-label="Vulnerabilities by severity" className="flex flex-wrap gap-1.5">
              {SEVERITIES.map((s) => (
                <li
                  key={s}
                  data-severity={s}
                  data-count={context.scan!.counts![s]}
                  className="rounded border border-zinc-300 px-1.5 py-0.5 text-xs dark:border-zinc-600"
                >
                  <span className="font-semibold tabular-nums">{context.scan!.counts![s]}</span> {s}
                </li>
              ))}
            </ul>
          ) : context.scan ? (
            `no summary (scan ${STATUS_LABEL[context.scan.status]})`
          ) : (
            "not scanned yet"
          )}
        </Field>
        <Field name="Tests so far">
          {context.pipeline && context.pipeline.tasks.length ? (
            <ul
              aria-label={`Tasks of ${context.pipeline.name ?? context.pipeline.title}`}
              className="space-y-0.5"
            >
              {context.pipeline.tasks.map((t) => (
                <li
                  key={t.runName ?? t.name}
                  data-task={t.name}
                  className="flex items-center gap-1.5"
                >
                  <span
                    className={`inline-flex items-center gap-1 ${TONE_TEXT[STATUS_TONE[t.status]]}`}
                  >
                    <StatusIcon status={t.status} className="h-3.5 w-3.5" />
                  </span>
                  {t.name}
                  <span className={`text-xs ${TONE_TEXT[STATUS_TONE[t.status]]}`}>
                    {STATUS_LABEL[t.status]}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            "no pipeline tasks recorded"
          )}
        </Field>
        <Field name="Manifests revision">
          {context.manifestsRevision ? (
            <span className="font-mono text-xs break-all">{context.manifestsRevision}</span>
          ) : status === "pending" ? (
            "written to the manifests repository once approved"
          ) : (
            "—"
          )}
        </Field>
        <Field name="Approvers">
          {approvers.length ? approvers.join(", ") : "anyone with the approver role"}
        </Field>
        <Field name="Decisions">
          {decisions.length === 0 ? (
            "none yet"
          ) : (
            <DecisionList decisions={decisions} testId="gate-decisions" />
          )}
        </Field>
      </dl>
      <div className="mt-3">
        {access.canDecide && gateId ? (
          <DecideButtons
            // A new gate (a re-run's) starts afresh: no dialog left open about the one before.
            key={gateId}
            gate={{ id: gateId, app, sha }}
            environment={stage.environment}
            onDecided={setAnswered}
          />
        ) : status === "pending" ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="gate-reason">
            {access.reason
              ? reasonText(access.reason, actor)
              : gateId
                ? "Checking whether you may decide this gate…"
                : "Shiplog has no record of this gate yet, so it cannot be decided here."}
          </p>
        ) : null}
        <p role="status" aria-live="polite" className="mt-2 text-sm" data-testid="decision-result">
          {ours ? decisionOutcome(ours) : ""}
        </p>
      </div>
    </section>
  );
}
