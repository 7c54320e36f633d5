// `npm run test:e2e`: a production build, a fresh migrated database, then Playwright.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase, ensurePostgres } from "./lib/postgres";
import { migrate } from "./lib/migrate";
import { ensureBuild } from "./lib/build";
import { run } from "./lib/process";

const root = path.resolve(import.meta.dirname, "..");
const server = await ensurePostgres({ dataDir: path.join(root, ".shiplog/test-pg") });
const name = `shiplog_e2e_${randomBytes(3).toString("hex")}`;
let code = 0;
try {
  const url = await createDatabase(server.adminUrl, name);
  await migrate(url, { quiet: true });
  await ensureBuild();
  await run(path.join(root, "node_modules/.bin/playwright"), ["test", ...process.argv.slice(2)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, NEXT_TELEMETRY_DISABLED: "1" },
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  code = 1;
} finally {
  await dropDatabase(server.adminUrl, name).catch(() => {});
  await server.stop();
}
process.exit(code);
