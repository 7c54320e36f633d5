// The local base image for `npm run test:image` (no public image can be pulled on the machines it
// runs on): a root filesystem with the host's node, npm and /bin/sh, the shared libraries `ldd`
// says they and the project's native addons load, and a minimal /etc — what node:20-bookworm-slim gives the Dockerfile's stages.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  statSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/** Where the base keeps the CA bundle; its NODE_EXTRA_CA_CERTS names it. */
export const CA_BUNDLE = "etc/ssl/certs/ca-certificates.crt";

/** Bumped when baseRootfs lays the root filesystem out differently. */
const BASE_LAYOUT_VERSION = "2";

export type HostFiles = {
  node: string;
  npm: string;
  shell: string;
  env: string;
  /** The CA bundle this machine trusts (its egress may re-sign TLS), for npm ci in the build. */
  caBundle: string;
  libraries: string[];
};

/** The shared libraries a program loads, as `ldd` names them (the paths the loader looks at). */
export function libraries(lddOutput: string): string[] {
  return [...lddOutput.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1]);
}

export function hostFiles(): HostFiles {
  const node = realpathSync(process.execPath);
  const npmCli = realpathSync(
    execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim(),
  );
  const npm = path.resolve(path.dirname(npmCli), "..");
  const shell = realpathSync("/bin/sh");
  // npm's bin scripts start with #!/usr/bin/env node.
  const env = realpathSync("/usr/bin/env");
  // The native addons the build loads (lightningcss, Tailwind's oxide, Next's SWC) link librt and
  // others that node itself does not.
  const addons = execFileSync(
    "find",
    [path.resolve(import.meta.dirname, "../node_modules"), "-name", "*linux-x64*.node"],
    { encoding: "utf8" },
  )
    .split("\n")
    .filter(Boolean);
  const libs = [node, shell, env, ...addons].flatMap((program) =>
    libraries(execFileSync("ldd", [program], { encoding: "utf8" })),
  );
  const caBundle = process.env.NODE_EXTRA_CA_CERTS ?? "/etc/ssl/certs/ca-certificates.crt";
  // Libraries inside node_modules (sharp's libvips) arrive with npm ci.
  const system = libs.filter((library) => !library.includes("/node_modules/"));
  return { node, npm, shell, env, caBundle, libraries: [...new Set(system)] };
}

/** Names what the base is made of (paths, sizes, times), so an unchanged base is reused. */
export function baseFingerprint(files: HostFiles): string {
  const hash = createHash("sha256").update(BASE_LAYOUT_VERSION);
  for (const file of [
    files.node,
    files.shell,
    files.env,
    files.caBundle,
    ...files.libraries,
    path.join(files.npm, "package.json"),
  ]) {
    const stat = statSync(file);
    hash.update(`${file} ${stat.size} ${stat.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

export function baseRootfs(rootfs: string, files: HostFiles): void {
  const at = (file: string) => path.join(rootfs, file);
  for (const dir of [
    "bin",
    "usr/bin",
    "usr/local/bin",
    "usr/local/lib/node_modules",
    "etc",
    "root",
  ])
    mkdirSync(at(dir), { recursive: true });
  mkdirSync(at("tmp"), { recursive: true });
  chmodSync(at("tmp"), 0o1777);
  copyFileSync(files.node, at("usr/local/bin/node"));
  chmodSync(at("usr/local/bin/node"), 0o755);
  cpSync(files.npm, at("usr/local/lib/node_modules/npm"), { recursive: true });
  symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", at("usr/local/bin/npm"));
  symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", at("usr/local/bin/npx"));
  copyFileSync(files.shell, at("bin/sh"));
  chmodSync(at("bin/sh"), 0o755);
  copyFileSync(files.env, at("usr/bin/env"));
  chmodSync(at("usr/bin/env"), 0o755);
  // npm reads /usr/bin/ldd to tell glibc from musl when it picks native packages (lightningcss).
  copyFileSync("/usr/bin/ldd", at("usr/bin/ldd"));
  for (const library of files.libraries) {
    mkdirSync(path.dirname(at(library)), { recursive: true });
    copyFileSync(realpathSync(library), at(library));
  }
  writeFileSync(
    at("etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n",
  );
  writeFileSync(at("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
  writeFileSync(at("etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  writeFileSync(at("etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n");
  writeFileSync(at("etc/resolv.conf"), "");
  mkdirSync(at("etc/ssl/certs"), { recursive: true });
  copyFileSync(files.caBundle, at(CA_BUNDLE));
}
