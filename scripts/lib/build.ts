// Builds the Next.js app when its sources changed since the last build (a content hash).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { run } from "./process";

const root = path.resolve(import.meta.dirname, "../..");
const inputs = [
  "app",
  "components",
  "lib",
  "public",
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

export async function ensureBuild(options: { force?: boolean } = {}): Promise<"built" | "reused"> {
  const stamp = path.join(root, ".shiplog/build-hash");
  const hash = sourceHash();
  const fresh =
    existsSync(path.join(root, ".next/BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === hash;
  if (fresh && !options.force) return "reused";
  await run(path.join(root, "node_modules/.bin/next"), ["build"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, hash);
  return "built";
}
