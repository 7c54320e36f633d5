// `npm run db:diff -- NAME`: write a migration for what prisma/schema.prisma gained since the last
// commit (git HEAD). The integration suite checks that migrations and schema stay in step.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { datamodelDiff, hasStatements } from "./lib/schema-diff";
import { ensurePostgres } from "./lib/postgres";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- NAME   (NAME: lower-case letters, digits and _)");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
const previous = path.join(mkdtempSync(path.join(tmpdir(), "shiplog-schema-")), "schema.prisma");
writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root }));
const server = await ensurePostgres({ dataDir: path.join(root, ".shiplog/test-pg") });
const sql = await datamodelDiff(previous, "prisma/schema.prisma", server.adminUrl).finally(() =>
  server.stop(),
);
if (!hasStatements(sql)) {
  console.log("prisma/schema.prisma has no changes since the last commit");
} else {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(root, "prisma/migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
}
