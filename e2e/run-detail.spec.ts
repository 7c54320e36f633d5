import { expect, test } from "./fixtures";
import { collectErrors } from "./browser-log";
import { RunPage } from "./pages/run-page";
import { TimelinePage } from "./pages/timeline-page";
import { waitForTruth } from "./sim-control";

test("a failed build shows its failing step's log", async ({ page, signIn }) => {
  test.setTimeout(60_000);
  await signIn("dev");
  const errors = collectErrors(page);
  const commit = await waitForTruth((commits) =>
    commits.find((c) => c.builds.some((b) => b.status === "failed")),
  );
  const failed = commit.builds.find((b) => b.status === "failed")!;
  const timeline = new TimelinePage(page);
  await timeline.goto(commit.app, commit.sha);
  const stage = timeline
    .stage("build")
    .filter({ has: page.locator('[data-testid="stage-status"]', { hasText: "failed" }) });
  await expect(stage.first()).toBeVisible({ timeout: 15_000 });
  await stage.first().getByRole("link", { name: "Steps and logs" }).click();
  await expect(page).toHaveURL(`/runs/${failed.cluster}/${failed.namespace}/builds/${failed.name}`);
  const run = new RunPage(page);
  await expect(run.detail).toBeVisible();
  const failing = page.locator('[data-testid="run-step"][data-status="failed"]');
  await expect(failing).toHaveCount(1);
  // Failed steps open by themselves, with the lifecycle's own error lines.
  await expect(failing.getByTestId("step-log")).toContainText("ERROR:", { timeout: 15_000 });
  expect(errors).toEqual([]);
});

test("a run Shiplog never saw says how to find one", async ({ page, signIn }) => {
  await signIn("dev");
  const errors = collectErrors(page);
  await page.goto("/runs/staging/ci/pipelineruns/promote-nothing-zzzzz");
  await expect(page.getByRole("heading", { name: "Shiplog has not seen this run" })).toBeVisible();
  expect(errors).toEqual([]);
});
