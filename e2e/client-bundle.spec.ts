// No secret reaches the browser: the build that scripts/e2e.ts made saw AUTH_SECRET, the demo
// password and a Harbor password in its environment; none of them, nor a token or its hash,
// may appear in the JavaScript and CSS the browser downloads (.next/static).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";

const staticDir = path.resolve(import.meta.dirname, "../.next/static");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function leaks(needles: Record<string, string>): string[] {
  const found: string[] = [];
  for (const file of files(staticDir)) {
    const text = readFileSync(file, "latin1");
    for (const [what, value] of Object.entries(needles)) {
      if (text.includes(value)) found.push(`${what} in ${path.relative(staticDir, file)}`);
    }
  }
  return found;
}

test("the client bundle holds no secret of the build environment", () => {
  const needles = {
    AUTH_SECRET: process.env.AUTH_SECRET ?? "",
    SHIPLOG_DEMO_PASSWORD: process.env.SHIPLOG_DEMO_PASSWORD ?? "",
    HARBOR_PASSWORD: process.env.E2E_BUILD_HARBOR_PASSWORD ?? "",
  };
  for (const [name, value] of Object.entries(needles)) {
    expect(value.length, `${name} is set for the e2e build`).toBeGreaterThan(8);
  }
  const scripts = files(staticDir).filter((file) => file.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(5);
  expect(leaks(needles)).toEqual([]);
});

test("a token made at run time is nowhere in the bundle, nor its hash", async ({
  context,
  signIn,
}) => {
  await signIn("admin");
  const response = await context.request.post("/api/v1/tokens", {
    headers: { Origin: test.info().project.use.baseURL! },
    data: { name: "bundle-check", role: "viewer" },
  });
  expect(response.status()).toBe(201);
  const { token } = (await response.json()) as { token: string };
  const hash = createHash("sha256").update(token).digest("hex");
  expect(leaks({ token, hash })).toEqual([]);
  const listed = await context.request.get("/api/v1/tokens");
  expect(await listed.text()).not.toContain(hash);
});
