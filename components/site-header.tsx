// The bar at the top of every page.
import Link from "next/link";
import { UserMenu } from "./auth/user-menu";

export function SiteHeader() {
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Shiplog
        </Link>
        <nav aria-label="Main" className="flex gap-4 text-sm text-zinc-600 dark:text-zinc-400">
          <Link href="/" className="hover:text-zinc-900 dark:hover:text-zinc-100">
            Releases
          </Link>
        </nav>
        <UserMenu />
      </div>
    </header>
  );
}
