// /admin: the first admin page. Admin only, like every page under it.
import { redirect } from "next/navigation";
import { NeedsRole } from "@/components/auth/needs-role";
import { requirePageRole } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const access = await requirePageRole("admin", "/admin");
  if (access.forbidden) return <NeedsRole reason={access.forbidden} />;
  redirect("/admin/tokens");
}
