// Page object for a commit's timeline (/apps/<app>/commits/<sha>): its stages and their details.
import { expect, type Locator, type Page } from "@playwright/test";

export class TimelinePage {
  readonly timeline: Locator;
  readonly stages: Locator;

  constructor(readonly page: Page) {
    this.timeline = page.getByTestId("timeline");
    this.stages = page.getByTestId("stage");
  }

  async goto(app: string, sha: string) {
    await this.page.goto(`/apps/${app}/commits/${sha}`);
    await expect(this.timeline).toBeVisible();
  }

  /** The stages of one kind (the current attempt of each), optionally in one environment. */
  stage(stage: string, environment?: string): Locator {
    const env = environment === undefined ? "" : `[data-environment="${environment}"]`;
    return this.page.locator(`[data-testid="stage"][data-stage="${stage}"]${env}`);
  }

  scanCount(severity: string): Locator {
    return this.stage("scan").locator(`[data-severity="${severity}"]`);
  }
}
