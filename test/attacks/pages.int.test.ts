// An attack on the pages themselves: a visit that reaches a page without passing proxy.ts (a
// matcher that misses a path, a proxy that lets an ended session through) must still be sent
// to /signin by the page. Every page.tsx under app/ (found on disk, so a new page is covered)
// is rendered on the server with the request's headers, on a real database, with no session,
// with an ended one, and with a valid one. Next's request scope (next/headers) is the one
// thing stood in for: it hands the page the visitor's headers.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sealSession } from "@/lib/auth/session";
import { loadConfig } from "@/lib/config";
import { createPool } from "@/lib/db/pool";
import { freshDatabase, type TestDatabase } from "@/test/database";

const visitor = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => visitor.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [] }),
}));

const appDir = path.resolve(import.meta.dirname, "../../app");
const PUBLIC_PAGES = new Set(["signin"]);
/** The route parameters each dynamic page is rendered with. */
const PARAMS: Record<string, Record<string, string>> = {
  "apps/[app]/commits/[sha]": { app: "web", sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678" },
  "runs/[cluster]/[namespace]/[kind]/[name]": {
    cluster: "ci",
    namespace: "ci",
    kind: "pipelineruns",
    name: "release-x7k2p",
  },
};

function pages(dir: string, base = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (!statSync(full).isDirectory()) return name === "page.tsx" ? [base] : [];
    if (name === "api") return [];
    return pages(full, base ? `${base}/${name}` : name);
  });
}

let database: TestDatabase;
let pool: pg.Pool;
const cookies: Record<"valid" | "ended", string> = { valid: "", ended: "" };

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 2);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: "page-attacks-test-secret-".padEnd(48, "x"),
    AUTH_URL: "http://localhost",
    LOG_LEVEL: "silent",
  });
  const config = loadConfig(process.env);
  await pool.query(
    `insert into users (id, username, name, email, roles)
     values ('u-admin', 'admin', 'admin', 'admin@example.com', '{viewer,approver,operator,admin}')`,
  );
  const claims = {
    sub: "u-admin",
    username: "admin",
    name: "admin",
    email: "admin@example.com",
    roles: ["admin" as const],
    provider: "demo",
  };
  cookies.valid = `next-auth.session-token=${await sealSession(claims, config)}`;
  // Signed in 13 hours ago and re-sealed since: past its lifetime.
  const signedInAt = Math.floor(Date.now() / 1000) - 13 * 3600;
  cookies.ended = `next-auth.session-token=${await sealSession({ ...claims, signedInAt }, config)}`;
});

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await (await import("@/lib/db/client")).db().$disconnect();
  await pool?.end();
  await database?.drop();
});

/** Renders a page's server component; where it redirects, or "rendered". */
async function render(page: string, cookie: string | null): Promise<string> {
  visitor.headers = new Headers(cookie ? { cookie } : {});
  const pageModule = (await import(/* @vite-ignore */ path.join(appDir, page, "page.tsx"))) as {
    default: (props: unknown) => unknown;
  };
  try {
    await pageModule.default({
      params: Promise.resolve(PARAMS[page] ?? {}),
      searchParams: Promise.resolve({}),
    });
    return "rendered";
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) {
      return `redirect ${digest.split(";")[2]}`;
    }
    if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) {
      return "not found";
    }
    throw error;
  }
}

const protectedPages = pages(appDir).filter((page) => !PUBLIC_PAGES.has(page));

describe("pages reached without proxy.ts", () => {
  it("finds the pages on disk", () => {
    expect(protectedPages).toEqual(
      expect.arrayContaining(["", "runs/[cluster]/[namespace]/[kind]/[name]", "admin/tokens"]),
    );
  });

  it.each(protectedPages.map((page) => [page || "(home)", page]))(
    "a signed-out visitor, or one whose session ended, reads %s",
    async (_name, page) => {
      const url = `/${page}`;
      const expected = (PARAMS[page] ? fill(page) : url) || "/";
      expect(await render(page, null)).toBe(
        `redirect /signin?callbackUrl=${encodeURIComponent(expected)}`,
      );
      expect(await render(page, cookies.ended)).toBe(
        `redirect /signin?callbackUrl=${encodeURIComponent(expected)}`,
      );
      expect(await render(page, cookies.valid)).not.toMatch(/^redirect \/signin/);
    },
  );
});

/** A dynamic page's path with its parameters filled in. */
function fill(page: string): string {
  return `/${page.replace(/\[(\w+)\]/g, (_m, key: string) => PARAMS[page]![key]!)}`;
}
