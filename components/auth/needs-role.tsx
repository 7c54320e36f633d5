// What a protected page shows to someone signed in without the role it needs.
export function NeedsRole({ reason }: { reason: string }) {
  return (
    <section
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 p-6 dark:border-amber-900 dark:bg-amber-950"
    >
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-2 text-sm">{reason.charAt(0).toUpperCase() + reason.slice(1)}.</p>
    </section>
  );
}
