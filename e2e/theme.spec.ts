import { expect, test } from "./fixtures";
import { collectErrors } from "./browser-log";

const isDark = (page: import("@playwright/test").Page) =>
  page.evaluate(() => document.documentElement.classList.contains("dark"));

test("dark mode toggles, is remembered and follows the system until chosen", async ({
  page,
  signIn,
}) => {
  await signIn("dev");
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/approvals");
  expect(await isDark(page)).toBe(false);
  const theme = page.getByRole("group", { name: "Theme" });

  await theme.getByRole("button", { name: "Dark theme" }).click();
  expect(await isDark(page)).toBe(true);
  await expect(theme.getByRole("button", { name: "Dark theme" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  // Remembered, and applied by a script in <head>, before the body paints.
  await page.reload();
  expect(await isDark(page)).toBe(true);
  const html = await (await page.request.get("/approvals")).text();
  expect(html.indexOf("shiplog-theme")).toBeGreaterThan(0);
  expect(html.indexOf("shiplog-theme")).toBeLessThan(html.indexOf("<body"));

  await theme.getByRole("button", { name: "System theme" }).click();
  expect(await isDark(page)).toBe(false);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => isDark(page)).toBe(true);
  expect(errors).toEqual([]);
});
