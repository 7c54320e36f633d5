// Shown for a commit Shiplog does not know, with the way back.
import Link from "next/link";

export default function NotFoundPage() {
  return (
    <section className="rounded-lg border border-dashed border-zinc-300 p-8 dark:border-zinc-700">
      <h1 className="text-lg font-semibold">Commit not found</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Shiplog has not seen this commit. A commit appears once Git or a build names it: check the
        SHA, or look for it on{" "}
        <Link href="/" className="underline">
          Releases
        </Link>
        .
      </p>
    </section>
  );
}
