// /admin/tokens: list, create and revoke API tokens. Admin only, decided on the server.
import type { Metadata } from "next";
import { AdminNav } from "@/components/auth/admin-nav";
import { NeedsRole } from "@/components/auth/needs-role";
import { TokenAdmin } from "@/components/auth/token-admin";
import { requirePageRole } from "@/lib/auth/current-user";
import { listTokens, tokenView } from "@/lib/auth/tokens";
import { pool } from "@/lib/db/pool";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const access = await requirePageRole("admin", "/admin/tokens");
  if (access.forbidden) return <NeedsRole reason={access.forbidden} />;
  const now = new Date();
  const tokens = (await listTokens(pool())).map((token) => tokenView(token, now));
  return (
    <>
      <AdminNav current="tokens" />
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">API tokens</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Send a token as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1</code>.
        Each carries one role; <code>npm run token</code> manages them from a shell.
      </p>
      <TokenAdmin tokens={tokens} />
    </>
  );
}
