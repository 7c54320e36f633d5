// Every screen in light and dark, on a desktop and a phone: no console error anywhere, and a
// screenshot of each under e2e/output/screenshots/.
import { expect, test } from "./fixtures";
import { collectErrors } from "./browser-log";
import { waitForTruth } from "./sim-control";
import type { Page } from "@playwright/test";

const SHOTS = "e2e/output/screenshots";

async function setTheme(page: Page, theme: "light" | "dark") {
  await page.addInitScript((t) => localStorage.setItem("shiplog-theme", t), theme);
}

test("every screen renders without console errors, light and dark", async ({ page, signIn }) => {
  test.setTimeout(90_000);
  await signIn("dev");
  const errors = collectErrors(page);
  const commit = await waitForTruth((all) =>
    all.find(
      (c) =>
        !c.bootstrap &&
        c.pipelineRuns.some((p) => p.stage === "pipeline" && p.status === "succeeded"),
    ),
  );
  const failed = await waitForTruth((all) =>
    all.flatMap((c) => c.builds).find((b) => b.status === "failed"),
  );
  const run = commit.pipelineRuns.find((p) => p.stage === "pipeline")!;
  const screens: [name: string, path: string, ready: string][] = [
    ["releases", "/", '[data-testid="commit-row"]'],
    ["releases-filtered", `/?app=${commit.app}&status=succeeded`, "h1"],
    ["timeline", `/apps/${commit.app}/commits/${commit.sha}`, '[data-testid="stage"]'],
    ["run-pipelinerun", `/runs/${run.cluster}/${run.namespace}/pipelineruns/${run.name}`, "h1"],
    ["run-build-failed", `/runs/${failed.cluster}/${failed.namespace}/builds/${failed.name}`, "h1"],
    ["approvals", "/approvals", "h1"],
  ];
  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    for (const [name, path, ready] of screens) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator(ready).first()).toBeVisible({ timeout: 15_000 });
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
        theme === "dark",
      );
      await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
    }
  }
  // A phone: nothing wider than the screen, the header still usable.
  await page.setViewportSize({ width: 375, height: 812 });
  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    for (const [name, path] of [
      ["releases", "/"],
      ["timeline", `/apps/${commit.app}/commits/${commit.sha}`],
    ]) {
      await page.goto(path);
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} is wider than a phone`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/${name}-phone-${theme}.png`, fullPage: true });
    }
  }
  expect(errors).toEqual([]);
});

test("the sign-in page has no console errors either", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in to Shiplog" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/signin-light.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test("the admin pages render in the dashboard's layout without console errors", async ({
  page,
  signIn,
}) => {
  await signIn("admin");
  const errors = collectErrors(page);
  for (const path of ["/admin/tokens", "/admin/users", "/admin/audit"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live");
  }
  await page.screenshot({ path: `${SHOTS}/admin-audit-light.png`, fullPage: true });
  expect(errors).toEqual([]);
});
