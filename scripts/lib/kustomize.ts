// Renders a Kustomize directory with kubectl's built-in kustomize (`kubectl kustomize DIR`), and
// the single-file install deploy/install.yaml from deploy/base.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { root } from "./manifests";

const run = promisify(execFile);

/** kubectl to use: $KUBECTL, else the one on PATH. */
export const KUBECTL = process.env.KUBECTL ?? "kubectl";

/** The YAML stream `kubectl kustomize` prints for a directory under the repository. */
export async function kustomize(dir: string): Promise<string> {
  try {
    const { stdout } = await run(KUBECTL, ["kustomize", path.resolve(root, dir)], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string; message?: string };
    if (e.code === "ENOENT")
      throw new Error(`${KUBECTL} not found: install kubectl (v1.27+) or set KUBECTL to its path`);
    throw new Error(`kubectl kustomize ${dir}: ${(e.stderr || e.message || "").trim()}`);
  }
}

const HEADER = `# Shiplog in one cluster, as one file: kubectl apply -f deploy/install.yaml (after creating its
# Secrets: README, "Install in a cluster"). Rendered from deploy/base by \`npm run deploy:render\`;
# edit deploy/base, not this file (a test fails when this file is not what deploy/base renders).
`;

/** What deploy/install.yaml must contain. */
export async function renderInstall(): Promise<string> {
  return HEADER + (await kustomize("deploy/base"));
}
