// Start-up of the Node server process: refuse to serve with a bad configuration, then start
// watching the configured clusters.
import { config, describeConfigError, requireServerConfig } from "./config";
import { log } from "./log";

export async function onServerStart(): Promise<void> {
  try {
    requireServerConfig(config());
  } catch (error) {
    const line = describeConfigError(error);
    if (!line) throw error;
    process.stderr.write(`${line}\n`);
    process.exit(2);
  }
  const { startIngest, stopIngest } = await import("./ingest/runtime");
  try {
    startIngest();
  } catch (error) {
    // A kubeconfig that names no such context is a configuration error too.
    process.stderr.write(
      `shiplog: configuration error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      log.info({ signal }, "stopping watchers");
      void stopIngest().finally(() => process.exit(0));
    });
  }
}
