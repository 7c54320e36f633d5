// A PipelineRun's or kpack Build's steps and logs (linked from the pipeline, verify and build
// stages of a timeline): rendered on the server for the first paint, kept current in the browser.
// Viewers only.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/current-user";
import { NeedsRole } from "@/components/auth/needs-role";
import { BadInput, NotFound } from "@/lib/errors";
import { RUN_KIND_PATHS, type RunDetail } from "@/lib/client/run-detail";
import { runParams } from "@/lib/runs/params";
import { getRunDetail } from "@/lib/runs/read";
import { RunView } from "@/components/runs/run-view";

export const dynamic = "force-dynamic";

type Params = Promise<{ cluster: string; namespace: string; kind: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

/** The run as the run API answers it; null when Shiplog never saw it (the view says so). */
async function firstPaint(run: {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
}): Promise<RunDetail | null> {
  try {
    return await getRunDetail(await runParams({ params: Promise.resolve(run) }));
  } catch (error) {
    if (error instanceof BadInput) notFound();
    if (error instanceof NotFound) return null;
    throw error;
  }
}

export default async function RunPage({ params }: { params: Params }) {
  const raw = await params;
  // Viewers only: the page asks the guard itself, not only through proxy.ts.
  const access = await requirePageRole(
    "viewer",
    `/runs/${raw.cluster}/${raw.namespace}/${raw.kind}/${raw.name}`,
  );
  if (access.forbidden !== undefined) return <NeedsRole reason={access.forbidden} />;
  const run = {
    cluster: decodeURIComponent(raw.cluster),
    namespace: decodeURIComponent(raw.namespace),
    kind: decodeURIComponent(raw.kind),
    name: decodeURIComponent(raw.name),
  };
  if (!(RUN_KIND_PATHS as readonly string[]).includes(run.kind)) notFound();
  const initial = await firstPaint(run);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/" className="underline">
          Releases
        </Link>{" "}
        / {run.kind === "builds" ? "kpack Build" : "PipelineRun"} /{" "}
        <span aria-current="page">{run.name}</span>
      </nav>
      <RunView run={run} initial={initial} />
    </>
  );
}
