// Releases: what each app ships, newest first.
import { listApps } from "@/lib/db/commits";
import { AppList } from "@/components/app-list";
import { EmptyReleases } from "@/components/empty-releases";

export const dynamic = "force-dynamic";

export default async function ReleasesPage() {
  const apps = await listApps();
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Releases</h1>
      {apps.length === 0 ? <EmptyReleases /> : <AppList apps={apps} />}
    </>
  );
}
