// What Releases shows before any cluster has reported: how to connect one.
export function EmptyReleases() {
  return (
    <section
      aria-labelledby="empty-title"
      className="rounded-lg border border-dashed border-zinc-300 p-8 dark:border-zinc-700"
    >
      <h2 id="empty-title" className="text-lg font-semibold">
        No releases yet
      </h2>
      <p className="mt-2 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        Shiplog fills this page from what your clusters, Harbor and Git report. Connect a cluster by
        pointing Shiplog at a kubeconfig and naming the contexts to watch, each with its
        environment:
      </p>
      <pre className="mt-4 overflow-x-auto rounded bg-zinc-100 p-3 text-sm dark:bg-zinc-900">
        <code>{`KUBECONFIG=~/.kube/config \\
SHIPLOG_CONTEXTS=staging-cluster=staging,prod-cluster=production \\
npm start`}</code>
      </pre>
      <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
        Add Harbor (<code>HARBOR_URL</code>) and the Git and Harbor webhooks to see images, scans
        and commit messages. To try Shiplog without a cluster, run <code>npm run demo</code>: it
        plays a simulated pipeline.
      </p>
    </section>
  );
}
