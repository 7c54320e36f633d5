"use client";
// Shown when a page cannot load its data, with what to check and a way to try again.
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950"
    >
      <h1 className="text-lg font-semibold">This page could not load</h1>
      <p className="mt-2 text-sm">
        Shiplog could not read what this page shows. Most often its database is down or not
        migrated: check that <code>/api/readyz</code> reports ready, then try again. If it keeps
        happening, the server log has the details
        {error.digest ? (
          <>
            {" "}
            under the reference <code>{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded bg-zinc-900 px-3 py-1.5 text-sm text-white focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:bg-zinc-100 dark:text-zinc-900"
      >
        Try again
      </button>
    </section>
  );
}
