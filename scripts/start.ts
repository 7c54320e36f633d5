// `npm start`: validate the configuration, then serve the production build.
import { spawn } from "node:child_process";
import path from "node:path";
import { config, describeConfigError, requireServerConfig } from "../lib/config";

const root = path.resolve(import.meta.dirname, "..");

try {
  const { port } = requireServerConfig(config());
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port)], {
    cwd: root,
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(describeConfigError(error) ?? error);
  process.exit(2);
}
