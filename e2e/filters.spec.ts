import { expect, test } from "./fixtures";
import { ReleasesPage } from "./pages/releases-page";
import { waitForTruth } from "./sim-control";

test("filters narrow the commits and live in the URL", async ({ page, signIn }) => {
  test.setTimeout(60_000);
  await signIn("dev");
  const commits = await waitForTruth((all) =>
    all.filter((c) => !c.bootstrap).length >= 4 ? all : undefined,
  );
  const releases = new ReleasesPage(page);
  await releases.goto();

  await releases.app.selectOption("payments");
  await expect(page).toHaveURL(/[?&]app=payments/);
  await expect(releases.rows.first()).toBeVisible();
  for (const app of await releases.rows.evaluateAll((rows) => rows.map((r) => r.dataset.app))) {
    expect(app).toBe("payments");
  }

  // A shared link opens the same view.
  const failed = commits.find((c) => c.builds.some((b) => b.status === "failed"));
  if (failed) {
    await releases.goto(`status=failed&app=${failed.app}`);
    await expect(releases.status).toHaveValue("failed");
    await expect(releases.row(failed.sha)).toBeVisible({ timeout: 15_000 });
    for (const status of await releases.rows.evaluateAll((r) => r.map((x) => x.dataset.status))) {
      expect(status).toBe("failed");
    }
  }

  // Environment: every row has a deploy there.
  await releases.goto("environment=production");
  await expect(releases.environment).toHaveValue("production");
  await expect(releases.rows.first()).toBeVisible();
  const deploys = await releases.rows.evaluateAll((rows) =>
    rows.map((r) =>
      r.querySelector('[data-stage="deploy:production"]')?.getAttribute("data-status"),
    ),
  );
  for (const status of deploys) expect(status).not.toBe("none");

  // Author: every row is by that author.
  const someone = commits.find((c) => !c.bootstrap)!;
  await releases.goto();
  await releases.author.fill(someone.author);
  await releases.apply.click();
  await expect(page).toHaveURL(
    new RegExp(`author=${encodeURIComponent(someone.author).replace(/%20/g, "(\\+|%20)")}`),
  );
  await expect(releases.row(someone.sha)).toBeVisible();
  for (const author of await releases.rows.evaluateAll((r) => r.map((x) => x.dataset.author))) {
    expect(author).toBe(someone.author);
  }
});

test("a SHA prefix or words of the message find the commit", async ({ page, signIn }) => {
  await signIn("dev");
  const commit = await waitForTruth((all) => all.find((c) => !c.bootstrap));
  const releases = new ReleasesPage(page);
  await releases.goto();
  await releases.search.fill(commit.sha.slice(0, 8));
  await releases.search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${commit.sha.slice(0, 8)}`));
  await expect(releases.rows).toHaveCount(1);
  await expect(releases.row(commit.sha)).toBeVisible();

  await releases.goto(`q=${encodeURIComponent(commit.title.split(" ").slice(0, 3).join(" "))}`);
  await expect(releases.row(commit.sha)).toBeVisible();

  await releases.goto("q=no-such-commit-anywhere");
  await expect(page.getByText("No commit matches these filters.")).toBeVisible();
});
