"use client";
// The approvals inbox: tabs "Pending for me", "All pending" and "Decided", one card per gate
// (app, commit, environment, message, approvals so far and by whom, when it opened and expires,
// its status), kept live by server-sent events. Deciding happens on the commit's timeline, beside
// everything the decision needs.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useNow } from "@/lib/client/use-now";
import {
  approvalProgress,
  currentAccess,
  gatesForTab,
  INBOX_TABS,
  reasonText,
  type GateAccess,
  type GateView,
  type InboxTab,
} from "@/lib/ui/gates";
import { RelativeTime } from "@/components/ui/relative-time";
import { DecisionList } from "./decision-list";
import { GateStatusBadge } from "./gate-status";
import { useGates } from "./use-gates";

export type InboxData = { actor: string; pending: GateView[]; decided: GateView[] };

const commitHref = (app: string, sha: string) => `/apps/${encodeURIComponent(app)}/commits/${sha}`;

function GateRow({ gate, access, actor }: { gate: GateView; access: GateAccess; actor: string }) {
  const progress = approvalProgress(gate.minApprovals, gate.decisions);
  return (
    <li
      data-testid="gate-row"
      data-gate-id={gate.id}
      data-sha={gate.sha ?? ""}
      data-can-decide={access.canDecide}
      className="rounded-lg border border-zinc-200 bg-white p-3 sm:p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <GateStatusBadge status={gate.status} />
        <span className="font-medium">{gate.app ?? "unknown app"}</span>
        {gate.app && gate.sha ? (
          <Link
            href={commitHref(gate.app, gate.sha)}
            className="font-mono text-sm text-sky-700 underline dark:text-sky-400"
            aria-label={`Commit ${gate.sha.slice(0, 7)} of ${gate.app}`}
          >
            {gate.sha.slice(0, 7)}
          </Link>
        ) : (
          <span className="text-sm text-zinc-500 dark:text-zinc-400">commit not linked yet</span>
        )}
        {gate.environment ? (
          <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
            {gate.environment}
          </span>
        ) : null}
        <span className="text-sm" data-testid="gate-progress">
          {progress.text}
        </span>
      </div>
      {gate.message ? <p className="mt-2 text-sm break-words">{gate.message}</p> : null}
      <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <div className="flex gap-1">
          <dt>Opened</dt>
          <dd>
            <RelativeTime iso={gate.createdAt} />
          </dd>
        </div>
        {gate.expiresAt ? (
          <div className="flex gap-1">
            <dt>{gate.status === "pending" ? "Expires" : "Expiry"}</dt>
            <dd>
              <RelativeTime iso={gate.expiresAt} />
            </dd>
          </div>
        ) : null}
        <div className="flex min-w-0 gap-1">
          <dt>Approvers</dt>
          <dd className="break-words">
            {gate.approvers.join(", ") || "anyone with the approver role"}
          </dd>
        </div>
      </dl>
      {gate.decisions.length ? (
        <DecisionList
          decisions={gate.decisions}
          className="mt-2 space-y-0.5 text-sm"
          label="Decisions so far"
        />
      ) : null}
      {gate.status === "pending" ? (
        <p className="mt-2 text-sm">
          {access.canDecide && gate.app && gate.sha ? (
            <Link
              href={commitHref(gate.app, gate.sha)}
              className="font-medium text-sky-700 underline dark:text-sky-400"
            >
              Review and decide
              <span className="sr-only">
                {" "}
                the gate of {gate.app} {gate.sha.slice(0, 7)}
                {gate.environment ? ` for ${gate.environment}` : ""}
              </span>
            </Link>
          ) : access.reason ? (
            <span className="text-zinc-600 dark:text-zinc-400" data-testid="gate-reason">
              {reasonText(access.reason, actor)}
            </span>
          ) : null}
        </p>
      ) : null}
    </li>
  );
}

export function ApprovalsInbox({ initial }: { initial: InboxData }) {
  const router = useRouter();
  const now = useNow(15_000);
  // Someone who may decide nothing starts on every pending gate rather than an empty tab.
  const [tab, setTab] = useState<InboxTab>(() =>
    initial.pending.some((g) => g.canDecide) ? "mine" : "pending",
  );
  const tabRefs = useRef<Record<InboxTab, HTMLButtonElement | null>>({
    mine: null,
    pending: null,
    decided: null,
  });
  const pendingQuery = useGates("pending", initial.pending);
  const decidedQuery = useGates("decided", initial.decided);
  const pending = pendingQuery.data ?? initial.pending;
  const decided = decidedQuery.data ?? initial.decided;

  // Who may decide comes from the server's render; newer data can only narrow it.
  const verdicts = useMemo(() => {
    const map = new Map<string, GateAccess>();
    for (const g of [...initial.pending, ...initial.decided])
      map.set(g.id, { canDecide: g.canDecide ?? false, reason: g.reason ?? null });
    return map;
  }, [initial]);
  const accessOf = (g: GateView) =>
    currentAccess(verdicts.get(g.id) ?? null, g, initial.actor, now);

  // A gate opened since the render has no verdict yet: render again on the server, once per set.
  const unknown = pending
    .filter((g) => !verdicts.has(g.id))
    .map((g) => g.id)
    .join(",");
  const refreshedFor = useRef("");
  useEffect(() => {
    if (unknown && refreshedFor.current !== unknown) {
      refreshedFor.current = unknown;
      router.refresh();
    }
  }, [unknown, router]);

  const shown = gatesForTab(tab, pending, decided, accessOf);
  const counts: Record<InboxTab, number> = {
    mine: gatesForTab("mine", pending, decided, accessOf).length,
    pending: pending.length,
    decided: decided.length,
  };
  const error = pendingQuery.error ?? decidedQuery.error;

  const onKeyDown = (event: React.KeyboardEvent) => {
    const order = INBOX_TABS.map((t) => t.id);
    const at = order.indexOf(tab);
    const next =
      event.key === "ArrowRight"
        ? order[(at + 1) % order.length]
        : event.key === "ArrowLeft"
          ? order[(at + order.length - 1) % order.length]
          : event.key === "Home"
            ? order[0]
            : event.key === "End"
              ? order[order.length - 1]
              : null;
    if (!next) return;
    event.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <section aria-label="Approval gates" data-testid="approvals-inbox">
      {error ? (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          Could not refresh the gates ({error.message}); what is shown may be out of date.
        </p>
      ) : null}
      <div
        role="tablist"
        aria-label="Which gates"
        className="mb-4 flex flex-wrap gap-1 border-b border-zinc-200 dark:border-zinc-800"
        onKeyDown={onKeyDown}
      >
        {INBOX_TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`gates-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="gates-panel"
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            className={`-mb-px rounded-t-md border-b-2 px-3 py-2 text-sm font-medium focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
              tab === t.id
                ? "border-sky-600 text-sky-800 dark:border-sky-400 dark:text-sky-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {t.label} <span className="tabular-nums">({counts[t.id]})</span>
          </button>
        ))}
      </div>
      <div role="tabpanel" id="gates-panel" aria-labelledby={`gates-tab-${tab}`} tabIndex={0}>
        {shown.length === 0 ? (
          <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {tab === "mine"
              ? "No gate waits for you. Gates you may decide show up here as soon as a pipeline reaches them."
              : tab === "pending"
                ? "No gate is waiting for a decision."
                : "No gate has been decided yet."}
          </p>
        ) : (
          <ul className="space-y-3">
            {shown.map((g) => (
              <GateRow key={g.id} gate={g} access={accessOf(g)} actor={initial.actor} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
