// Approvals inbox: the gates waiting for a decision and those decided lately, with what the
// signed-in person may do about each (computed on the server, kept live in the browser).
import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/current-user";
import { gateInbox } from "@/lib/gates/inbox";
import { ApprovalsPage } from "@/components/gates/approvals-page";

export const metadata: Metadata = { title: "Approvals" };
export const dynamic = "force-dynamic";

export default async function Approvals() {
  const access = await requirePageRole("viewer", "/approvals");
  if (access.forbidden !== undefined) {
    return (
      <section role="alert" className="rounded-lg border border-amber-300 p-6">
        <h1 className="text-lg font-semibold">Approvals</h1>
        <p className="mt-2 text-sm">{access.forbidden}</p>
      </section>
    );
  }
  const { principal } = access;
  return (
    <ApprovalsPage
      inbox={await gateInbox(principal)}
      viewer={{ name: principal.name, roles: principal.roles }}
    />
  );
}
