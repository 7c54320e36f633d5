import { describe, expect, inject, it } from "vitest";
import { hasStatements, schemaDrift } from "./lib/schema-diff";

describe("prisma/migrations", () => {
  it("build the same tables, indexes and constraints as prisma/schema.prisma", async () => {
    expect(await schemaDrift(inject("postgresAdminUrl"))).toEqual([]);
  });

  it("counts statements, not comments", () => {
    expect(hasStatements("-- This is an empty migration.\n")).toBe(false);
    expect(hasStatements('-- AlterTable\nALTER TABLE "apps" ADD COLUMN "x" TEXT;\n')).toBe(true);
  });
});
