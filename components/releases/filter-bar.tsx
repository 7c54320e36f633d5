"use client";
// The Releases filters as a GET form: the URL holds them (shareable), Next.js navigates without a
// reload, and choosing from a list applies it at once.
import Form from "next/form";
import Link from "next/link";
import { useRef } from "react";
import { STATUSES } from "@/lib/sources/types";
import type { CommitFilters } from "@/lib/query-keys";
import { hasFilters } from "@/lib/ui/releases-filters";

const field =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-zinc-700 dark:bg-zinc-900";

function Labelled({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {label}
      {children}
    </label>
  );
}

export function FilterBar({
  filters,
  apps,
  environments,
}: {
  filters: CommitFilters;
  apps: string[];
  environments: string[];
}) {
  const form = useRef<HTMLFormElement>(null);
  const submit = () => form.current?.requestSubmit();
  return (
    <Form
      ref={form}
      action="/"
      role="search"
      aria-label="Filter commits"
      // New filters give new defaults: re-mount the fields when the URL changes.
      key={JSON.stringify(filters)}
      className="mb-6 grid grid-cols-2 gap-3 rounded-lg border border-zinc-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-7 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="col-span-2 sm:col-span-3 lg:col-span-2">
        <Labelled label="Search SHA or message">
          <input
            type="search"
            name="q"
            defaultValue={filters.q ?? ""}
            placeholder="9e820ca or “refund”"
            className={field}
          />
        </Labelled>
      </div>
      <Labelled label="App">
        <select name="app" defaultValue={filters.app ?? ""} onChange={submit} className={field}>
          <option value="">All</option>
          {apps.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Environment">
        <select
          name="environment"
          defaultValue={filters.environment ?? ""}
          onChange={submit}
          className={field}
        >
          <option value="">All</option>
          {environments.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Status">
        <select
          name="status"
          defaultValue={filters.status ?? ""}
          onChange={submit}
          className={field}
        >
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Branch">
        <input name="branch" defaultValue={filters.branch ?? ""} className={field} />
      </Labelled>
      <Labelled label="Author">
        <input name="author" defaultValue={filters.author ?? ""} className={field} />
      </Labelled>
      <div className="col-span-2 flex items-center gap-3 sm:col-span-3 lg:col-span-7">
        <button
          type="submit"
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
        >
          Apply filters
        </button>
        {hasFilters(filters) ? (
          <Link href="/" className="text-sm underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
