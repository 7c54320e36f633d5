// The bar at the top of every page: the product, the main pages, an app switcher, the live
// indicator, the theme switch and the account menu. Wraps onto two lines on a phone.
import Link from "next/link";
import type { AppListing } from "@/lib/db/commits";
import { UserMenu } from "./auth/user-menu";
import { AppSwitcher } from "./app-switcher";
import { LiveIndicator } from "./live/live-indicator";
import { ThemeSwitch } from "./theme/theme-switch";

const navLink =
  "rounded px-1 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:hover:text-zinc-100";

export function SiteHeader({ apps }: { apps: AppListing[] | null }) {
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-2.5">
        <Link href="/" className={`text-lg font-semibold tracking-tight ${navLink}`}>
          Shiplog
        </Link>
        <nav aria-label="Main" className="flex gap-4 text-sm text-zinc-600 dark:text-zinc-400">
          <Link href="/" className={navLink}>
            Releases
          </Link>
          <Link href="/approvals" className={navLink}>
            Approvals
          </Link>
        </nav>
        {apps ? (
          <div className="order-last w-full sm:order-none sm:w-auto">
            <AppSwitcher initialApps={apps} />
          </div>
        ) : null}
        <div className="ml-auto flex items-center gap-3">
          <LiveIndicator />
          <ThemeSwitch />
          <UserMenu />
        </div>
      </div>
    </header>
  );
}
