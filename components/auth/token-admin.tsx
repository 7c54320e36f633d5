"use client";
// API tokens for admins: create one (shown once, here only), see every token's state, revoke.
// Both go through /api/v1/tokens, so the same guard decides as for any API client.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { TokenView } from "@/lib/auth/tokens";
import { formatUtc } from "./format";

const ROLES = ["viewer", "approver", "operator", "admin"];
const LIFETIMES = [
  { value: "", label: "never" },
  { value: "7d", label: "in 7 days" },
  { value: "30d", label: "in 30 days" },
  { value: "90d", label: "in 90 days" },
  { value: "365d", label: "in a year" },
];

const field =
  "mt-1 block w-full rounded border border-zinc-300 bg-white px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 dark:border-zinc-700 dark:bg-zinc-900";
const primary =
  "rounded bg-zinc-900 px-3 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 focus-visible:ring-offset-2 disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300";

async function call(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    ...init,
    headers: { "Content-Type": "application/json" },
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(String(body.error ?? `HTTP ${response.status}`));
  return body;
}

export function TokenAdmin({ tokens }: { tokens: TokenView[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setPending(true);
    setError(null);
    try {
      const expires = String(form.get("expires") ?? "");
      const body = await call("/api/v1/tokens", {
        method: "POST",
        body: JSON.stringify({
          name: String(form.get("name") ?? ""),
          role: String(form.get("role") ?? "viewer"),
          ...(expires ? { expires } : {}),
        }),
      });
      setCreated({ name: String(body.name), token: String(body.token) });
      formElement.reset();
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  }

  async function revoke(token: TokenView) {
    if (
      !window.confirm(`Revoke "${token.name}" (${token.prefix}…)? Clients using it stop working.`)
    )
      return;
    setError(null);
    try {
      await call(`/api/v1/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <div className="space-y-8">
      <form onSubmit={create} aria-label="New API token" className="grid gap-4 sm:grid-cols-4">
        <label className="text-sm font-medium sm:col-span-2">
          Name
          <input name="name" required maxLength={100} className={field} placeholder="ci-deploy" />
        </label>
        <label className="text-sm font-medium">
          Role
          <select name="role" defaultValue="viewer" className={field}>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Expires
          <select name="expires" defaultValue="90d" className={field}>
            {LIFETIMES.map((lifetime) => (
              <option key={lifetime.value} value={lifetime.value}>
                {lifetime.label}
              </option>
            ))}
          </select>
        </label>
        <div className="sm:col-span-4">
          <button type="submit" className={primary} disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>

      {error && (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}

      {created && (
        <section
          aria-labelledby="new-token-title"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950"
        >
          <h2 id="new-token-title" className="text-sm font-semibold">
            Token &quot;{created.name}&quot; created
          </h2>
          <p className="mt-1 text-sm">
            Copy it now: Shiplog keeps only its hash and cannot show it again.
          </p>
          <code
            data-testid="new-token"
            className="mt-3 block overflow-x-auto rounded bg-white p-2 font-mono text-sm dark:bg-zinc-900"
          >
            {created.token}
          </code>
          <button
            type="button"
            className="mt-3 text-sm underline"
            onClick={() => void navigator.clipboard?.writeText(created.token)}
          >
            Copy to clipboard
          </button>
        </section>
      )}

      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
          <tr>
            {["Name", "Token", "Role", "State", "Created", "Expires", "Last used", ""].map((h) => (
              <th key={h} scope="col" className="py-2 pr-4 font-medium">
                {h || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr>
              <td colSpan={8} className="py-4 text-zinc-500">
                No API tokens yet.
              </td>
            </tr>
          )}
          {tokens.map((token) => (
            <tr key={token.id} className="border-b border-zinc-100 dark:border-zinc-900">
              <td className="py-2 pr-4 font-medium">{token.name}</td>
              <td className="py-2 pr-4 font-mono">{token.prefix}…</td>
              <td className="py-2 pr-4">{token.role}</td>
              <td className="py-2 pr-4">{token.state}</td>
              <td className="py-2 pr-4">
                {formatUtc(token.createdAt)}
                <span className="block text-xs text-zinc-500">by {token.createdBy}</span>
              </td>
              <td className="py-2 pr-4">
                {token.expiresAt ? formatUtc(token.expiresAt) : "never"}
              </td>
              <td className="py-2 pr-4">{formatUtc(token.lastUsedAt)}</td>
              <td className="py-2">
                {token.state !== "revoked" && (
                  <button
                    type="button"
                    aria-label={`Revoke ${token.name}`}
                    className="rounded px-2 py-1 text-red-700 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500 dark:text-red-400 dark:hover:bg-red-950"
                    onClick={() => void revoke(token)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
