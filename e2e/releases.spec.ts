import { expect, test } from "./fixtures";
import { collectErrors } from "./browser-log";
import { ReleasesPage } from "./pages/releases-page";
import { waitForTruth } from "./sim-control";

test("Releases shows what runs in each environment, from the simulated clusters", async ({
  page,
  signIn,
}) => {
  await signIn("dev");
  const errors = collectErrors(page);
  // Every app's bootstrap commit runs in staging and production from the start.
  const bootstrap = await waitForTruth((commits) => {
    const boot = commits.filter((c) => c.bootstrap);
    return boot.length >= 3 ? boot : undefined;
  });
  const releases = new ReleasesPage(page);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(releases.heading).toBeVisible();
  for (const commit of bootstrap) {
    const card = releases.deployments(commit.app);
    await expect(card).toBeVisible();
    // Later commits may have replaced it by now; whatever runs is a commit of this app.
    await expect(card.locator("tbody tr")).toHaveCount(2, { timeout: 20_000 });
    await expect(card.locator('tr[data-environment="staging"] a')).toHaveText(/^[0-9a-f]{7}$/);
  }
  await expect(releases.rows.first()).toBeVisible();
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

test("the deployments API names the commit that runs in each environment", async ({
  context,
  signIn,
}) => {
  await signIn("dev");
  const truth = await waitForTruth((commits) =>
    commits.some((c) => c.app === "payments" && c.deploys.some((d) => d.status === "succeeded"))
      ? commits
      : undefined,
  );
  const payments = new Set(truth.filter((c) => c.app === "payments").map((c) => c.sha));
  await expect
    .poll(
      async () => {
        const response = await context.request.get("/api/v1/deployments?app=payments");
        const body = (await response.json()) as { environment: string; sha: string }[];
        return body.map((d) => `${d.environment}:${payments.has(d.sha)}`).sort();
      },
      { timeout: 20_000 },
    )
    .toEqual(["production:true", "staging:true"]);
  const bad = await context.request.get("/api/v1/deployments?color=blue");
  expect(bad.status()).toBe(400);
});
