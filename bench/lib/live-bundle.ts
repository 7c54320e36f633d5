// First-load JavaScript per page of the production build, gzipped: the runtime's main files plus
// every chunk the page's entries (layouts, error boundaries, the page) need at first paint, read
// from the build's own manifests (.next/build-manifest.json, the pages' client-reference manifests).
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

export interface PageWeight {
  route: string;
  files: number;
  gzipBytes: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** The `entryJSFiles` of a page's client-reference manifest (a script that sets a global). */
function entryFiles(manifestFile: string): { route: string; files: string[] } {
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, unknown> } = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
  const [route, manifest] = Object.entries(sandbox.__RSC_MANIFEST ?? {})[0] as [
    string,
    { entryJSFiles?: Record<string, string[]> },
  ];
  return { route, files: Object.values(manifest.entryJSFiles ?? {}).flat() };
}

export function firstLoadJs(nextDir: string): PageWeight[] {
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const sizes = new Map<string, number>();
  const gzipped = (file: string) => {
    let size = sizes.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(nextDir, file)), { level: 9 }).length;
      sizes.set(file, size);
    }
    return size;
  };
  return walk(path.join(nextDir, "server/app"))
    .filter((file) => file.endsWith("/page_client-reference-manifest.js"))
    .map(entryFiles)
    .map(({ route, files }) => {
      const all = [...new Set([...build.rootMainFiles, ...files])].filter((f) => f.endsWith(".js"));
      return {
        route: route.replace(/\/page$/, "") || "/",
        files: all.length,
        gzipBytes: all.reduce((sum, f) => sum + gzipped(f), 0),
      };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}
