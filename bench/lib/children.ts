// Child processes of the benchmark: TypeScript entry points run by node with tsx's loader and the
// react-server condition (as Next runs route handlers, so "server-only" modules load).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export type Server = { port: number; pid: number; stop(): Promise<void> };

function launch(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): ChildProcess {
  const args = [
    ...nodeArgs,
    "--import",
    "tsx",
    "--conditions=react-server",
    path.join(root, script),
  ];
  return spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/** Starts a server script that prints "listening <port>"; `input` is written to its stdin. */
export function startServer(
  script: string,
  env: Record<string, string>,
  input = "",
  nodeArgs: string[] = [],
): Promise<Server> {
  const child = launch(script, env, nodeArgs);
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const match = /listening (\d+)/.exec(stdout);
      if (match) {
        resolve({
          port: Number(match[1]),
          pid: child.pid ?? 0,
          stop: async () => {
            child.kill("SIGTERM");
            await exited(child);
          },
        });
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`${script} exited (${code}) before listening\n${stderr.trim()}`)),
    );
  });
}

/** Runs a script to completion with `input` on stdin; resolves with its stdout. */
export function runScript(
  script: string,
  env: Record<string, string>,
  input = "",
): Promise<string> {
  const child = launch(script, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += chunk));
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${script} failed (${code})\n${stderr}`)),
    );
  });
}
