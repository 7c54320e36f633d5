// Builds the Next.js app when its sources changed since the last build (a content hash), and
// completes .next/standalone into the tree the container image holds and `npm start` runs:
// server.js and migrate.js (scripts/entries, bundled with esbuild), .next/static, public and the
// SQL migrations.
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { run } from "./process";

const root = path.resolve(import.meta.dirname, "../..");
export const standaloneDir = path.join(root, ".next/standalone");
const inputs = [
  "app",
  "components",
  "lib",
  "public",
  "prisma/migrations",
  "scripts/entries",
  "instrumentation.ts",
  "next.config.js",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];

function* files(entry: string): Generator<string> {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    yield full;
    return;
  }
  for (const name of readdirSync(full).sort()) {
    if (name === "node_modules" || name === "generated" || name.endsWith(".test.ts")) continue;
    yield* files(path.join(entry, name));
  }
}

export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const entry of inputs) {
    for (const file of files(entry)) {
      hash.update(path.relative(root, file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest("hex");
}

/**
 * Bundles scripts/entries/{server,migrate}.ts into `outDir` as ESM. Next, node-postgres and pino
 * stay outside: the standalone tree's node_modules holds them (Next traces them for the server).
 */
export async function bundleEntries(outDir: string): Promise<void> {
  await build({
    entryPoints: ["server", "migrate"].map((name) => path.join(root, `scripts/entries/${name}.ts`)),
    outdir: outDir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    external: ["next", "next/*", "pg", "pg-native", "pino"],
    logLevel: "warning",
  });
}

/** Adds to `next build`'s .next/standalone what it leaves out for the server to run. */
export async function completeStandalone(): Promise<void> {
  await bundleEntries(standaloneDir);
  const copy = (from: string, to: string) => {
    rmSync(path.join(standaloneDir, to), { recursive: true, force: true });
    if (existsSync(path.join(root, from)))
      cpSync(path.join(root, from), path.join(standaloneDir, to), { recursive: true });
  };
  copy(".next/static", ".next/static");
  copy("public", "public");
  copy("prisma/migrations", "prisma/migrations");
}

export async function ensureBuild(options: { force?: boolean } = {}): Promise<"built" | "reused"> {
  const stamp = path.join(root, ".shiplog/build-hash");
  const hash = sourceHash();
  const fresh =
    existsSync(path.join(root, ".next/BUILD_ID")) &&
    existsSync(path.join(standaloneDir, "server.js")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === hash;
  if (fresh && !options.force) return "reused";
  await run(path.join(root, "node_modules/.bin/next"), ["build"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  await completeStandalone();
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, hash);
  return "built";
}
