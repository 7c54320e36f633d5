// Audit records, newest first, with the filter form and paging links of /admin/audit.
import Link from "next/link";
import type { AuditRecord } from "@/lib/audit";
import { formatUtc } from "./format";

export type AuditFilterValues = { actor: string; action: string; from: string; to: string };

const field =
  "mt-1 block w-full rounded border border-zinc-300 bg-white px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 dark:border-zinc-700 dark:bg-zinc-900";

export function AuditFilters({
  values,
  actions,
}: {
  values: AuditFilterValues;
  actions: readonly string[];
}) {
  return (
    <form
      method="get"
      action="/admin/audit"
      aria-label="Filter the audit log"
      className="mb-6 grid gap-4 sm:grid-cols-5"
    >
      <label className="text-sm font-medium">
        Actor
        <input
          name="actor"
          defaultValue={values.actor}
          className={field}
          placeholder="e-mail or token:name"
        />
      </label>
      <label className="text-sm font-medium">
        Action
        <select name="action" defaultValue={values.action} className={field}>
          <option value="">any</option>
          {actions.map((action) => (
            <option key={action}>{action}</option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        From (UTC)
        <input type="date" name="from" defaultValue={values.from} className={field} />
      </label>
      <label className="text-sm font-medium">
        To (UTC, inclusive)
        <input type="date" name="to" defaultValue={values.to} className={field} />
      </label>
      <div className="flex items-end gap-3">
        <button
          type="submit"
          className="rounded bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 dark:bg-zinc-100 dark:text-zinc-900"
        >
          Filter
        </button>
        <Link href="/admin/audit" className="text-sm underline">
          Clear
        </Link>
      </div>
    </form>
  );
}

export function AuditTable({
  items,
  olderHref,
}: {
  items: AuditRecord[];
  olderHref: string | null;
}) {
  return (
    <>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit log</caption>
        <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
          <tr>
            {["Time", "Actor", "Action", "Target", "Outcome", "Details"].map((h) => (
              <th key={h} scope="col" className="py-2 pr-4 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <tr>
              <td colSpan={6} className="py-4 text-zinc-500">
                No records match.
              </td>
            </tr>
          )}
          {items.map((item) => (
            <tr key={item.id} className="border-b border-zinc-100 align-top dark:border-zinc-900">
              <td className="whitespace-nowrap py-2 pr-4">{formatUtc(item.at)}</td>
              <td className="py-2 pr-4">{item.actor}</td>
              <td className="py-2 pr-4 font-mono text-xs">{item.action}</td>
              <td className="py-2 pr-4 font-mono text-xs">{item.target ?? "—"}</td>
              <td className="py-2 pr-4">{item.outcome}</td>
              <td className="py-2 font-mono text-xs text-zinc-600 dark:text-zinc-400">
                {item.details ? JSON.stringify(item.details) : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {olderHref && (
        <p className="mt-4 text-sm">
          <Link href={olderHref} className="underline">
            Older records
          </Link>
        </p>
      )}
    </>
  );
}
