// `npm run test:image`: builds the Dockerfile with buildah and proves the image on this machine.
// No public base image can be pulled here, so it first makes a local one (the host's node, npm and
// /bin/sh with the libraries they link, and a minimal /etc), then builds with
// --build-arg BASE_IMAGE=localhost/shiplog-test-base, runs `node migrate.js` twice at once and
// `node server.js` against a throwaway database as user 10001 with a read-only root and /tmp on a
// tmpfs, and checks /api/healthz, /api/readyz and /signin. Prints the image's size and the time
// each step took. Needs buildah (apt-get install buildah) and root.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, dropDatabase, ensurePostgres } from "./lib/postgres";
import { stop, waitForHttp } from "./lib/process";
import { CA_BUNDLE, baseFingerprint, baseRootfs, hostFiles } from "../test/image-base";

const root = path.resolve(import.meta.dirname, "..");
const BASE = "localhost/shiplog-test-base";
const IMAGE = "localhost/shiplog-test";
const USER = "10001:10001";
const port = Number(process.env.E2E_PORT ?? 3200) + 50;
const started = Date.now();
const timings: string[] = [];

function say(line: string) {
  process.stdout.write(`[test:image] ${line}\n`);
}

async function step<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const begin = Date.now();
  const result = await work();
  const seconds = ((Date.now() - begin) / 1000).toFixed(1);
  timings.push(`${name} ${seconds} s`);
  say(`${name}: ${seconds} s`);
  return result;
}

function buildah(args: string[], options: { quiet?: boolean } = {}): string {
  return execFileSync("buildah", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", options.quiet ? "pipe" : "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

function check(ok: boolean, what: string) {
  if (!ok) throw new Error(`check failed: ${what}`);
  say(`ok: ${what}`);
}

/**
 * The local base image: FROM scratch with the rootfs as one layer. Reused while its files are
 * unchanged, so that buildah's layer cache keeps the image's `npm ci` layer between runs.
 */
function buildBase(dir: string): "built" | "reused" {
  const files = hostFiles();
  const fingerprint = baseFingerprint(files);
  try {
    const labels = JSON.parse(buildah(["inspect", "--type", "image", BASE], { quiet: true })).OCIv1
      .config.Labels as Record<string, string> | undefined;
    if (labels?.["shiplog.base"] === fingerprint) return "reused";
  } catch {
    // no base image yet
  }
  const rootfs = path.join(dir, "rootfs");
  baseRootfs(rootfs, files);
  execFileSync("tar", ["-C", rootfs, "-cf", path.join(dir, "rootfs.tar"), "."]);
  writeFileSync(
    path.join(dir, "Containerfile"),
    [
      "FROM scratch",
      "ADD rootfs.tar /",
      "ENV PATH=/usr/local/bin:/usr/bin:/bin",
      `ENV NODE_EXTRA_CA_CERTS=/${CA_BUNDLE}`,
      'CMD ["node"]',
      `LABEL shiplog.base=${fingerprint}`,
      "",
    ].join("\n"),
  );
  buildah(["bud", "--isolation", "chroot", "-q", "-t", BASE, dir], { quiet: true });
  return "built";
}

/**
 * `buildah run` has no --read-only: the container's root is its mount point, so the test makes
 * that mount point a read-only bind of itself; every run of the container then sees a read-only
 * root, with /tmp a fresh tmpfs.
 */
function readOnlyContainer(): { id: string; rootfs: string } {
  const id = buildah(["from", "--pull-never", IMAGE], { quiet: true });
  const rootfs = buildah(["mount", id], { quiet: true });
  // The mount points buildah run binds (images leave them out, as container runtimes make them).
  for (const dir of ["dev", "proc", "sys"]) mkdirSync(path.join(rootfs, dir), { recursive: true });
  mkdirSync(path.join(rootfs, "run"), { recursive: true });
  for (const file of ["etc/hosts", "etc/resolv.conf", "etc/hostname", "run/.containerenv"])
    if (!existsSync(path.join(rootfs, file))) writeFileSync(path.join(rootfs, file), "");
  execFileSync("mount", ["--bind", rootfs, rootfs]);
  execFileSync("mount", ["-o", "remount,bind,ro", rootfs]);
  return { id, rootfs };
}

function runArgs(id: string, env: Record<string, string>, command: string[]): string[] {
  return [
    "run",
    "--isolation",
    "chroot",
    "--network",
    "host",
    "--user",
    USER,
    "--mount",
    "type=tmpfs,destination=/tmp",
    ...Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    id,
    "--",
    ...command,
  ];
}

/**
 * Runs a command in the container to its end. The command's exit code is echoed from inside:
 * buildah 1.28's own exit status is not it on a read-only root (its clean-up of the files it
 * mounted there fails after the command ran).
 */
function runToEnd(id: string, env: Record<string, string>, command: string[]) {
  const wrapped = ["/bin/sh", "-c", '"$@"; echo "test-image-exit=$?"', "sh", ...command];
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("buildah", runArgs(id, env, wrapped), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", () => {
      const code = /test-image-exit=(\d+)/.exec(stdout);
      // What the command printed, without buildah's own complaints after it.
      const own = stderr.split(/\n(?=panic:|error running subprocess|time=)/)[0];
      resolve({
        code: code ? Number(code[1]) : null,
        output: `${stdout.replace(/test-image-exit=\d+\s*$/, "")}${own}`.trim(),
      });
    });
  });
}

/** Every descendant of `pid` (the container's processes share the host's pid namespace). */
function descendants(pid: number): number[] {
  const children = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return (
          readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1].split(" ")[1] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function status(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .map((line) => line.split(":\t").map((part) => part.trim()) as [string, string]),
  );
}

async function main() {
  try {
    execFileSync("buildah", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("buildah is not installed: apt-get install buildah");
  }
  const work = mkdtempSync(path.join(os.tmpdir(), "shiplog-image-"));
  const postgres = await ensurePostgres({ dataDir: path.join(root, ".shiplog/test-pg") });
  const database = `shiplog_image_${randomBytes(3).toString("hex")}`;
  let container: { id: string; rootfs: string } | undefined;
  let server: ChildProcess | undefined;
  try {
    say(`local base image ${await step("local base image", () => buildBase(work))}`);
    await step("image build (buildah bud)", () =>
      buildah([
        "bud",
        "--isolation",
        "chroot",
        "--layers",
        "--build-arg",
        `BASE_IMAGE=${BASE}`,
        "-t",
        IMAGE,
        "-f",
        path.join(root, "Dockerfile"),
        root,
      ]),
    );
    const inspect = JSON.parse(buildah(["inspect", "--type", "image", IMAGE], { quiet: true }));
    const config = inspect.OCIv1.config;
    check(config.User === USER, `the image runs as ${USER} (User: ${config.User})`);
    check(config.WorkingDir === "/app", "WORKDIR is /app");
    check(JSON.stringify(config.Cmd) === '["node","server.js"]', "the command is node server.js");

    container = readOnlyContainer();
    const url = await createDatabase(postgres.adminUrl, database);
    const env = {
      DATABASE_URL: url,
      PORT: String(port),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "info",
    };

    const written = await runToEnd(container.id, env, [
      "node",
      "-e",
      "require('fs').writeFileSync('/app/probe', 'x')",
    ]);
    if (written.code === 0 || written.code === null) say(written.output);
    check(
      written.code !== 0 &&
        /EROFS: read-only file system, open '\/app\/probe'/.test(written.output),
      "the root filesystem is read-only (writing /app/probe fails with EROFS)",
    );

    const migrations = await step("two `node migrate.js` at once", () =>
      Promise.all([1, 2].map(() => runToEnd(container!.id, env, ["node", "migrate.js"]))),
    );
    for (const run of migrations) if (run.code !== 0) say(run.output);
    check(
      migrations.every((run) => run.code === 0),
      "both migrate runs exit 0",
    );
    const count = readdirSync(path.join(root, "prisma/migrations")).filter((name) =>
      existsSync(path.join(root, "prisma/migrations", name, "migration.sql")),
    ).length;
    const applied = migrations.map(
      (run) => run.output.split("\n").filter((line) => line.includes('"applied migration"')).length,
    );
    check(
      applied.sort().join(",") === `0,${count}`,
      `one run applied the ${count} migrations and the other found none left (${applied.join(" and ")})`,
    );

    const badConfig = await runToEnd(container.id, { ...env, PORT: "web" }, ["node", "server.js"]);
    check(
      badConfig.code === 2 &&
        badConfig.output === "shiplog: configuration error: PORT must be a whole number",
      "bad configuration stops node server.js with one line and exit code 2",
    );

    await step("server start (node server.js until /api/readyz answers)", async () => {
      server = spawn("buildah", runArgs(container!.id, env, ["node", "server.js"]), {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let log = "";
      server.stdout!.on("data", (chunk) => (log += chunk));
      server.stderr!.on("data", (chunk) => (log += chunk));
      await waitForHttp(
        `http://127.0.0.1:${port}/api/readyz`,
        60_000,
        () => server!.exitCode === null,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${log}`);
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const healthz = await fetch(`${base}/api/healthz`);
    check(healthz.status === 200, "/api/healthz answers 200");
    const readyz = await fetch(`${base}/api/readyz`);
    const ready = (await readyz.json()) as {
      status: string;
      checks: { database: { ok: boolean } };
    };
    check(
      readyz.status === 200 && ready.status === "ready" && ready.checks.database.ok,
      "/api/readyz answers 200: ready, database migrated",
    );
    const signin = await fetch(`${base}/signin`);
    const html = await signin.text();
    check(
      signin.status === 200 && /Sign in/i.test(html),
      "/signin answers 200 with the sign-in page",
    );
    const script = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    const asset = script ? await fetch(`${base}${script}`) : undefined;
    check(asset?.status === 200, `the page's JavaScript is served (${script})`);

    const node = descendants(server!.pid!).find(
      (pid) =>
        status(pid).Name.startsWith("next-server") ||
        readlinkSync(`/proc/${pid}/exe`).endsWith("/node"),
    );
    check(node !== undefined, "found the server process");
    const proc = status(node!);
    check(
      proc.Uid.split(/\s+/)[0] === "10001" && proc.Gid.split(/\s+/)[0] === "10001",
      `the server runs as uid 10001, gid 10001 (Uid: ${proc.Uid})`,
    );
    say(`server process RSS after these requests: ${proc.VmRSS}`);

    const sizes = buildah(["images", "--format", "{{.Name}}:{{.Tag}} {{.Size}}"], { quiet: true })
      .split("\n")
      .filter((line) => line.startsWith(`${IMAGE}:`) || line.startsWith(`${BASE}:`));
    const app = execFileSync("du", ["-sh", "--apparent-size", path.join(container.rootfs, "app")], {
      encoding: "utf8",
    }).split("\t")[0];
    say(`image sizes: ${sizes.join(", ")}; /app (Shiplog's layer) ${app}`);
    say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (${timings.join(", ")})`);
  } finally {
    if (server) await stop(server);
    if (container) {
      try {
        execFileSync("umount", [container.rootfs]);
      } catch {
        // not mounted
      }
      buildah(["rm", container.id], { quiet: true });
    }
    await dropDatabase(postgres.adminUrl, database).catch(() => {});
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[test:image] failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
