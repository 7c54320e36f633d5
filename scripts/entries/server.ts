// The server process, bundled into .next/standalone/server.js (scripts/lib/build.ts): `node
// server.js` in the container image, and `npm start`. It checks the configuration first (one line
// and exit code 2 when it is wrong, before Next loads), then runs Next's standalone server in this
// same process, listening on PORT on every interface. No npm, tsx or child process in between.
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  config,
  describeConfigError,
  requireAuthConfig,
  requireServerConfig,
} from "../../lib/config";

// As Next's own standalone server.js: the build is a production build; "Ready in" counts from here.
(process.env as Record<string, string>).NODE_ENV = "production";
process.env.NEXT_PRIVATE_START_TIME ??= String(Date.now());
const dir = path.dirname(fileURLToPath(import.meta.url));

function fail(line: string, code: number): never {
  process.stderr.write(`${line}\n`);
  process.exit(code);
}

let port = 3000;
try {
  port = requireAuthConfig(requireServerConfig(config())).port;
} catch (error) {
  fail(describeConfigError(error) ?? `shiplog: ${String(error)}`, 2);
}

const serverFiles = path.join(dir, ".next/required-server-files.json");
if (!existsSync(serverFiles)) {
  fail(`shiplog: no production build beside ${dir}/server.js: run npm run build first`, 1);
}
// The settings `next build` resolved (what Next's generated server.js inlines).
const nextConfig = JSON.parse(readFileSync(serverFiles, "utf8")).config;
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(nextConfig);
process.chdir(dir);

// The image links .next/cache to a directory under /tmp (its one writable place): make that.
const cache = path.join(dir, ".next/cache");
if (lstatSync(cache, { throwIfNoEntry: false })?.isSymbolicLink()) {
  mkdirSync(path.resolve(path.dirname(cache), readlinkSync(cache)), { recursive: true });
}

const require = createRequire(import.meta.url);
require("next");
const { startServer } = require("next/dist/server/lib/start-server") as {
  startServer(options: Record<string, unknown>): Promise<void>;
};
await startServer({
  dir,
  isDev: false,
  config: nextConfig,
  hostname: undefined,
  port,
  allowRetry: false,
}).catch((error: unknown) =>
  fail(`shiplog: the server did not start: ${error instanceof Error ? error.message : error}`, 1),
);
