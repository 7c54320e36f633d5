// Start-up of the Node server process: refuse to serve with a bad configuration.
import { config, describeConfigError, requireServerConfig } from "./config";

export async function onServerStart(): Promise<void> {
  try {
    requireServerConfig(config());
  } catch (error) {
    const line = describeConfigError(error);
    if (!line) throw error;
    process.stderr.write(`${line}\n`);
    process.exit(2);
  }
}
