// Prepared statement names must agree between copies of the read module: Next bundles pages and
// route handlers apart, and both use the same pool's connections.
import { describe, expect, it, vi } from "vitest";

async function freshCopy() {
  vi.resetModules();
  return import("./commits");
}

describe("statementName", () => {
  it("names the same SQL alike and different SQL apart in every copy of the module", async () => {
    const page = await freshCopy();
    const route = await freshCopy();
    expect(page).not.toBe(route);
    const a = "select 1 as one";
    const b = "select 2 as two";
    // Each copy meets the statements in another order, as a page and a route would.
    const pageNames = [page.statementName(a), page.statementName(b)];
    const routeNames = [route.statementName(b), route.statementName(a)].reverse();
    expect(routeNames).toEqual(pageNames);
    expect(pageNames[0]).not.toBe(pageNames[1]);
    expect(pageNames[0]).toMatch(/^shiplog_read_[0-9a-f]{16}$/);
  });
});
