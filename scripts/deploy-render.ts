// `npm run deploy:render`: writes deploy/install.yaml from deploy/base (kubectl kustomize).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderInstall } from "./lib/kustomize";
import { INSTALL_YAML, root } from "./lib/manifests";

try {
  writeFileSync(INSTALL_YAML, await renderInstall());
  process.stdout.write(`wrote ${path.relative(root, INSTALL_YAML)}\n`);
} catch (err) {
  process.stderr.write(`deploy:render: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
