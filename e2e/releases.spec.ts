import { expect, test } from "./fixtures";

test("Releases renders from the database and says how to connect a cluster", async ({
  page,
  signIn,
}) => {
  await signIn("dev");
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No releases yet" })).toBeVisible();
  await expect(page.getByText("SHIPLOG_CONTEXTS=staging-cluster=staging")).toBeVisible();
  await page.screenshot({ path: "e2e/output/screenshots/releases-empty.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("health, readiness and metrics answer", async ({ request }) => {
  expect(await (await request.get("/api/healthz")).json()).toEqual({ status: "ok" });
  const ready = await request.get("/api/readyz");
  expect(ready.status()).toBe(200);
  expect((await ready.json()).checks.database.ok).toBe(true);
  const metrics = await request.get("/metrics");
  expect(metrics.headers()["content-type"]).toContain("text/plain");
  expect(await metrics.text()).toContain("shiplog_process_cpu_user_seconds_total");
});
