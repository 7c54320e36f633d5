// Start-up of the Node server process: refuse to serve with a bad configuration (sign-in
// included), hand next-auth its URL, then start watching the configured clusters.
import { config, describeConfigError, requireAuthConfig, requireServerConfig } from "./config";
import { publicUrl } from "./auth/settings";
import { log } from "./log";

/**
 * next-auth 4 reads its public URL only from process.env.NEXTAUTH_URL (for OIDC redirect URIs,
 * post-sign-in redirects and cookie security). This is the one place it is set, from AUTH_URL
 * (or http://localhost:PORT), before the server takes its first request.
 */
function exportNextAuthUrl(): void {
  process.env.NEXTAUTH_URL = publicUrl(config()).origin;
}

export async function onServerStart(): Promise<void> {
  try {
    requireAuthConfig(requireServerConfig(config()));
  } catch (error) {
    const line = describeConfigError(error);
    if (!line) throw error;
    process.stderr.write(`${line}\n`);
    process.exit(2);
  }
  exportNextAuthUrl();
  const { nodeEnv, demo } = config();
  if (demo.enabled && nodeEnv === "production") {
    log.warn("demo mode is on: the demo users can sign in with SHIPLOG_DEMO_PASSWORD");
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
