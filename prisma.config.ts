// Prisma CLI configuration: the pure-JS engine with the pg driver adapter (no native engines).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The schema names env("DATABASE_URL"); commands that never connect (generate, diff
// from the datamodel) still need a value, or the CLI falls back to downloading engines.
process.env.DATABASE_URL ??= "postgresql://localhost:5432/shiplog";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
