// The approvals page's body (a server component): who is looking and what they may do, then the
// live inbox, starting from what lib/gates/inbox.ts computed for them on the server.
import type { GateInbox } from "@/lib/gates/inbox";
import { hasRole, type Role } from "@/lib/auth/roles";
import { ApprovalsInbox } from "./approvals-inbox";

export function ApprovalsPage({
  inbox,
  viewer,
}: {
  inbox: GateInbox;
  /** The signed-in person (or token), as the principal names them. */
  viewer: { name: string; roles: readonly Role[] };
}) {
  const approver = hasRole(viewer.roles, "approver");
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">Approvals</h1>
      <p className="mb-6 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        {approver
          ? "Gates that pause a release until someone approves it. Open a gate's commit to see its image, scan and tests, and decide there."
          : `You can follow every gate here. Deciding one needs the approver role, and ${viewer.name} has ${viewer.roles.join(", ")}.`}
      </p>
      <ApprovalsInbox
        initial={{ actor: inbox.actor, pending: inbox.pending, decided: inbox.decided }}
      />
    </>
  );
}
