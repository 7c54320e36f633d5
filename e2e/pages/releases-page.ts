// Page object for Releases (/): what runs now, the filters, the commit list and its stage strips.
import { expect, type Locator, type Page } from "@playwright/test";

export class ReleasesPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly app: Locator;
  readonly environment: Locator;
  readonly status: Locator;
  readonly branch: Locator;
  readonly author: Locator;
  readonly apply: Locator;
  readonly rows: Locator;
  readonly liveIndicator: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: /Releases/ });
    const form = page.getByRole("search", { name: "Filter commits" });
    this.search = form.getByLabel("Search SHA or message");
    this.app = form.getByLabel("App");
    this.environment = form.getByLabel("Environment");
    this.status = form.getByLabel("Status");
    this.branch = form.getByLabel("Branch");
    this.author = form.getByLabel("Author");
    this.apply = form.getByRole("button", { name: "Apply filters" });
    this.rows = page.getByTestId("commit-row");
    this.liveIndicator = page
      .getByRole("status")
      .filter({ has: page.locator("[data-live-state]") });
  }

  async goto(query = "") {
    await this.page.goto(query ? `/?${query}` : "/");
    await expect(this.heading).toBeVisible();
  }

  row(sha: string): Locator {
    return this.page.locator(`[data-testid="commit-row"][data-sha="${sha}"]`);
  }

  /** One stage chip of a commit's strip, e.g. `build` or `deploy:staging`. */
  stage(sha: string, key: string): Locator {
    return this.row(sha).locator(`[data-stage="${key}"]`);
  }

  deployments(app: string): Locator {
    return this.page.locator(`[data-testid="app-deployments"][data-app="${app}"]`);
  }

  live(): Locator {
    return this.page.locator("[data-live-state]");
  }
}
