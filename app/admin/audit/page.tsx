// /admin/audit: the audit log, filtered by actor, action and days, newest first. Admin only.
import type { Metadata } from "next";
import { AdminNav } from "@/components/auth/admin-nav";
import { AuditFilters, AuditTable } from "@/components/auth/audit-table";
import { NeedsRole } from "@/components/auth/needs-role";
import { AUDIT_ACTIONS, listAudit, parseAuditSearch } from "@/lib/audit";
import { requirePageRole } from "@/lib/auth/current-user";
import { pool } from "@/lib/db/pool";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const access = await requirePageRole("admin", "/admin/audit");
  if (access.forbidden) return <NeedsRole reason={access.forbidden} />;
  const { values, filter, problems } = parseAuditSearch(await searchParams);
  const page = await listAudit(pool(), filter);
  let olderHref: string | null = null;
  if (page.nextBefore) {
    const query = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ""));
    query.set("before", page.nextBefore);
    olderHref = `/admin/audit?${query}`;
  }
  return (
    <>
      <AdminNav current="audit" />
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Audit log</h1>
      {problems.length > 0 && (
        <p role="alert" className="mb-4 text-sm text-red-700 dark:text-red-400">
          Ignored: {problems.join("; ")}.
        </p>
      )}
      <AuditFilters values={values} actions={AUDIT_ACTIONS} />
      <AuditTable items={page.items} olderHref={olderHref} />
    </>
  );
}
