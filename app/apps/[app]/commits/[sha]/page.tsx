// A commit's timeline, rendered on the server for the first paint and kept live in the browser.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { Principal } from "@/lib/auth/principal";
import { requirePageRole } from "@/lib/auth/current-user";
import { getCommitTimeline } from "@/lib/db/timeline";
import { BadInput, NotFound } from "@/lib/errors";
import { commitGates, type InboxGate } from "@/lib/gates/inbox";
import { log } from "@/lib/log";
import { TimelineView } from "@/components/timeline/timeline-view";

export const dynamic = "force-dynamic";

type Params = Promise<{ app: string; sha: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { app, sha } = await params;
  return { title: `${decodeURIComponent(app)} ${sha.slice(0, 7)}` };
}

/** The commit's gates with what this person may do about each; the timeline stands without them. */
async function gatesFor(principal: Principal, app: string, sha: string): Promise<InboxGate[]> {
  try {
    return await commitGates(principal, app, sha);
  } catch (err) {
    log.warn({ err, app, sha }, "the timeline could not read its gates");
    return [];
  }
}

export default async function CommitPage({ params }: { params: Params }) {
  const { app: rawApp, sha } = await params;
  const app = decodeURIComponent(rawApp);
  const access = await requirePageRole("viewer", `/apps/${rawApp}/commits/${sha}`);
  const principal = access.forbidden === undefined ? access.principal : null;
  let timeline;
  try {
    timeline = await getCommitTimeline(sha, app);
  } catch (error) {
    if (error instanceof NotFound) notFound();
    if (!(error instanceof BadInput)) throw error;
    return (
      <section
        role="alert"
        className="rounded-lg border border-amber-300 bg-amber-50 p-6 dark:border-amber-800 dark:bg-amber-950"
      >
        <h1 className="text-lg font-semibold">This commit cannot be shown</h1>
        <p className="mt-2 text-sm">{error.message}.</p>
        <p className="mt-2 text-sm">
          Find it on{" "}
          <Link
            href={`/?app=${encodeURIComponent(app)}&q=${encodeURIComponent(sha)}`}
            className="underline"
          >
            Releases
          </Link>{" "}
          instead.
        </p>
      </section>
    );
  }
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/" className="underline">
          Releases
        </Link>{" "}
        /{" "}
        <Link href={`/?app=${encodeURIComponent(app)}`} className="underline">
          {app}
        </Link>{" "}
        / <span aria-current="page">{timeline.shortSha}</span>
      </nav>
      <TimelineView
        app={app}
        sha={timeline.sha}
        initialTimeline={timeline}
        viewer={{
          actor: principal?.actor ?? null,
          roles: principal?.roles ?? [],
          gates: principal ? await gatesFor(principal, timeline.app, timeline.sha) : [],
        }}
      />
    </>
  );
}
