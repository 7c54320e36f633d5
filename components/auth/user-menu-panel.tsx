"use client";
// The account menu's disclosure: a <details> so it opens with Enter or Space without script;
// Escape and a click elsewhere close it.
import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useRef } from "react";

type Props = { name: string; email: string | null; roles: string[]; isAdmin: boolean };

const item =
  "block w-full rounded px-3 py-1.5 text-left text-sm hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 dark:hover:bg-zinc-800";

export function UserMenuPanel({ name, email, roles, isAdmin }: Props) {
  const ref = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    const close = (event: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(event.target as Node)) {
        ref.current.open = false;
      }
    };
    document.addEventListener("click", close);
    return () => document.removeEventListener("click", close);
  }, []);

  return (
    <details
      ref={ref}
      className="relative ml-auto"
      onKeyDown={(event) => {
        if (event.key === "Escape" && ref.current?.open) {
          ref.current.open = false;
          ref.current.querySelector("summary")?.focus();
        }
      }}
    >
      <summary
        aria-label={`Account menu for ${name}`}
        className="flex cursor-pointer list-none items-center gap-2 rounded px-2 py-1 text-sm text-zinc-700 hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 dark:text-zinc-300 dark:hover:bg-zinc-900"
      >
        <span
          aria-hidden="true"
          className="flex h-7 w-7 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold uppercase dark:bg-zinc-800"
        >
          {name.slice(0, 1)}
        </span>
        <span>{name}</span>
      </summary>
      <div className="absolute right-0 z-10 mt-2 w-64 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-950">
        <div className="px-3 py-2 text-sm">
          <p className="font-medium">{name}</p>
          {email && <p className="truncate text-zinc-500 dark:text-zinc-400">{email}</p>}
          <p className="mt-2 text-zinc-600 dark:text-zinc-400">
            Roles: <span data-testid="user-roles">{roles.join(", ")}</span>
          </p>
        </div>
        {isAdmin && (
          <nav aria-label="Admin" className="border-t border-zinc-200 pt-2 dark:border-zinc-800">
            <Link href="/admin/tokens" className={item}>
              API tokens
            </Link>
            <Link href="/admin/users" className={item}>
              Users
            </Link>
            <Link href="/admin/audit" className={item}>
              Audit log
            </Link>
          </nav>
        )}
        <div className="mt-2 border-t border-zinc-200 pt-2 dark:border-zinc-800">
          <button
            type="button"
            className={item}
            onClick={() => void signOut({ callbackUrl: "/signin" })}
          >
            Sign out
          </button>
        </div>
      </div>
    </details>
  );
}
