// The Releases filters as they live in the URL (shareable): read from search params, checked, and
// written back into links. Pure.
import { STATUSES, type Status } from "@/lib/sources/types";
import type { CommitFilters } from "@/lib/query-keys";

/** Commits per Releases page (server render and client refetch alike). */
export const PAGE_SIZE = 30;

export const FILTER_NAMES = ["app", "environment", "branch", "status", "author", "q"] as const;

export type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  const trimmed = v?.trim();
  return trimmed ? trimmed.slice(0, 320) : undefined;
}

/** The filters of a Releases URL; an unknown status is dropped and reported, not sent on. */
export function readFilters(params: SearchParams): { filters: CommitFilters; problems: string[] } {
  const filters: CommitFilters = {};
  const problems: string[] = [];
  for (const name of [...FILTER_NAMES, "cursor"] as const) {
    const value = first(params[name]);
    if (value !== undefined) filters[name] = value;
  }
  if (filters.status && !(STATUSES as readonly string[]).includes(filters.status)) {
    problems.push(`"${filters.status}" is not a status; showing every status`);
    delete filters.status;
  }
  return { filters, problems };
}

export function statusFilter(filters: CommitFilters): Status | undefined {
  return filters.status as Status | undefined;
}

/** `/?app=…&q=…` for these filters, with `change` applied (undefined removes a filter). */
export function releasesHref(filters: CommitFilters, change: Partial<CommitFilters> = {}): string {
  const merged: CommitFilters = { ...filters, ...change };
  const search = new URLSearchParams();
  for (const name of [...FILTER_NAMES, "cursor"] as const) {
    const value = merged[name];
    if (value) search.set(name, value);
  }
  const text = search.toString();
  return text ? `/?${text}` : "/";
}

export function hasFilters(filters: CommitFilters): boolean {
  return FILTER_NAMES.some((name) => Boolean(filters[name]));
}
