// `npm run build`: the production build, completed into .next/standalone (see scripts/lib/build.ts).
import { ensureBuild } from "./lib/build";

try {
  await ensureBuild({ force: true });
} catch (error) {
  process.stderr.write(
    `shiplog: build failed: ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
}
