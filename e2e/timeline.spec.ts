import { expect, test } from "./fixtures";
import { collectErrors } from "./browser-log";
import { TimelinePage } from "./pages/timeline-page";
import { waitForTruth } from "./sim-control";

test("a timeline shows the simulator's real digests and scan counts", async ({ page, signIn }) => {
  test.setTimeout(60_000);
  await signIn("dev");
  const errors = collectErrors(page);
  // A played commit whose build and scan finished.
  const commit = await waitForTruth((commits) =>
    commits.find(
      (c) =>
        !c.bootstrap &&
        c.builds.some((b) => b.status === "succeeded" && b.digest) &&
        c.artifacts.some((a) => a.scan.status === "succeeded" && a.scan.counts),
    ),
  );
  const artifact = commit.artifacts.find((a) => a.scan.counts)!;
  const timeline = new TimelinePage(page);
  await timeline.goto(commit.app, commit.sha);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(commit.title);
  await expect(timeline.stage("image").getByTestId("digest").first()).toHaveText(artifact.digest, {
    timeout: 15_000,
  });
  await expect(timeline.stage("build").getByTestId("digest").first()).toHaveText(
    commit.builds.find((b) => b.digest)!.digest!,
  );
  for (const [severity, count] of Object.entries(artifact.scan.counts!)) {
    await expect(timeline.scanCount(severity)).toHaveAttribute("data-count", String(count));
  }
  // Each stage says why it belongs here and how to look at it in a terminal.
  await expect(timeline.stage("image").getByTestId("linked-by")).toHaveText(/\S/);
  const build = timeline.stage("build").first();
  await build.getByText("Inspect in a terminal").click();
  await expect(build.getByTestId("inspect-command").first()).toHaveText(
    new RegExp(`^kp build logs ${commit.app} -b \\d+ -n apps$`),
  );
  // Pipelines show their tasks.
  if (commit.pipelineRuns.some((p) => p.stage === "pipeline" && p.status === "succeeded")) {
    await expect(timeline.stage("pipeline").first().locator("[data-task]").first()).toBeVisible();
  }
  expect(errors).toEqual([]);
});

test("an unknown commit says how to find one", async ({ page, signIn }) => {
  await signIn("dev");
  const response = await page.goto(`/apps/payments/commits/${"f".repeat(40)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Commit not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Releases" }).last()).toBeVisible();
});
