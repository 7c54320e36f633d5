"use client";
// Jumps to one app's releases (or all apps'); the list of apps stays current as apps appear.
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { AppListing } from "@/lib/db/commits";
import { fetchJson } from "@/lib/client/api";
import { queryKeys } from "@/lib/query-keys";

export function AppSwitcher({ initialApps }: { initialApps: AppListing[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { data: apps = initialApps } = useQuery({
    queryKey: queryKeys.apps.list(),
    queryFn: ({ signal }) => fetchJson<AppListing[]>("/api/v1/apps", signal),
    initialData: initialApps,
  });
  // The app of the page: /apps/<app>/… or Releases filtered by ?app=.
  const fromPath = /^\/apps\/([^/]+)/.exec(pathname)?.[1];
  const current = fromPath
    ? decodeURIComponent(fromPath)
    : pathname === "/"
      ? (params.get("app") ?? "")
      : "";
  return (
    <label className="flex w-full items-center gap-2 text-sm sm:w-auto">
      <span className="sr-only">Switch app</span>
      <select
        value={current}
        onChange={(e) =>
          router.push(e.target.value ? `/?app=${encodeURIComponent(e.target.value)}` : "/")
        }
        className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm sm:w-auto focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">All apps</option>
        {apps.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name}
          </option>
        ))}
      </select>
    </label>
  );
}
