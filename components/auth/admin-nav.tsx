// The admin pages' own navigation; pages render it only for admins.
import Link from "next/link";

const PAGES = [
  { key: "tokens", href: "/admin/tokens", label: "API tokens" },
  { key: "users", href: "/admin/users", label: "Users" },
  { key: "audit", href: "/admin/audit", label: "Audit log" },
] as const;

export function AdminNav({ current }: { current: (typeof PAGES)[number]["key"] }) {
  return (
    <nav
      aria-label="Admin pages"
      className="mb-6 flex gap-4 border-b border-zinc-200 text-sm dark:border-zinc-800"
    >
      {PAGES.map((page) => (
        <Link
          key={page.key}
          href={page.href}
          aria-current={page.key === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 ${
            page.key === current
              ? "border-zinc-900 font-medium dark:border-zinc-100"
              : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          }`}
        >
          {page.label}
        </Link>
      ))}
    </nav>
  );
}
