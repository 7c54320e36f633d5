// `npm start`: runs the production server (.next/standalone/server.js, built by `npm run build`)
// in this process, the entry the container image runs. Plain JavaScript: no tsx in between.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const server = path.resolve(import.meta.dirname, "../.next/standalone/server.js");
if (!existsSync(server)) {
  process.stderr.write(
    "shiplog: no production build (.next/standalone/server.js): run npm run build first\n",
  );
  process.exit(1);
}
await import(pathToFileURL(server).href);
