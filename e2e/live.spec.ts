import { expect, test } from "./fixtures";
import { recordStageChips } from "../test/stage-chips";
import { collectErrors, stageChanges } from "./browser-log";
import { ReleasesPage } from "./pages/releases-page";
import { TimelinePage } from "./pages/timeline-page";
import { simCommit, waitForTruth } from "./sim-control";

const FINAL = ["succeeded", "failed", "cancelled"];

test("a new commit appears on Releases and moves through its stages without a reload", async ({
  page,
  signIn,
}) => {
  test.setTimeout(90_000);
  await signIn("dev");
  const errors = collectErrors(page);
  const releases = new ReleasesPage(page);
  await releases.goto();
  await expect(releases.live()).toHaveAttribute("data-live-state", "live");
  await recordStageChips(page);

  const { sha } = await simCommit("search");
  await expect(releases.row(sha)).toBeVisible({ timeout: 20_000 });
  // The simulator's own outcome of the build, once it has one.
  const build = await waitForTruth((commits) => {
    const b = commits.find((c) => c.sha === sha)?.builds[0];
    return b && FINAL.includes(b.status) ? b : undefined;
  });
  await expect(releases.stage(sha, "build")).toHaveAttribute("data-status", build.status, {
    timeout: 10_000,
  });
  if (build.status === "succeeded") {
    await expect(releases.stage(sha, "deploy:staging")).toHaveAttribute(
      "data-status",
      "succeeded",
      { timeout: 45_000 },
    );
  }
  // Seen changing in this page: more than one status of the build, and the record survived.
  const seen = await stageChanges(page, sha);
  const buildStatuses = new Set(seen.filter((s) => s.startsWith("build|")));
  expect(buildStatuses.size, seen.join(", ")).toBeGreaterThan(1);
  expect(errors).toEqual([]);
});

test("an open timeline follows its commit live", async ({ page, signIn }) => {
  test.setTimeout(60_000);
  await signIn("dev");
  const { sha } = await simCommit("payments");
  const timeline = new TimelinePage(page);
  // Opened as soon as Shiplog knows the commit, before its image is in Harbor.
  await expect
    .poll(async () => (await page.request.get(`/api/v1/commits/${sha}?app=payments`)).status(), {
      timeout: 20_000,
    })
    .toBe(200);
  await timeline.goto("payments", sha);
  const build = await waitForTruth((commits) => {
    const b = commits.find((c) => c.sha === sha)?.builds[0];
    return b && FINAL.includes(b.status) ? b : undefined;
  });
  await expect(timeline.stage("build").first()).toHaveAttribute("data-status", build.status, {
    timeout: 10_000,
  });
  if (build.status === "succeeded") {
    await expect(timeline.stage("image").first()).toBeVisible({ timeout: 20_000 });
  }
});

test("after a network drop the page says so, reconnects and catches up", async ({
  page,
  context,
  signIn,
}) => {
  test.setTimeout(60_000);
  await signIn("dev");
  const releases = new ReleasesPage(page);
  await releases.goto();
  await expect(releases.live()).toHaveAttribute("data-live-state", "live");
  await context.setOffline(true);
  await expect(releases.live()).toHaveAttribute("data-live-state", /offline|reconnecting/);
  const { sha } = await simCommit("storefront");
  // Shiplog has it while the browser is offline (API requests do not go through the page).
  await expect
    .poll(async () => (await context.request.get(`/api/v1/commits/${sha}`)).status(), {
      timeout: 20_000,
    })
    .toBe(200);
  await expect(releases.row(sha)).toHaveCount(0);
  await context.setOffline(false);
  await expect(releases.live()).toHaveAttribute("data-live-state", "live", { timeout: 20_000 });
  await expect(releases.row(sha)).toBeVisible({ timeout: 20_000 });
});
