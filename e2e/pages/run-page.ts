// Page object for run detail (/runs/<cluster>/<namespace>/<kind>/<name>): groups, steps, logs.
import type { Locator, Page } from "@playwright/test";

export class RunPage {
  readonly detail: Locator;
  readonly steps: Locator;

  constructor(readonly page: Page) {
    this.detail = page.getByTestId("run-detail");
    this.steps = page.getByTestId("run-step");
  }

  step(name: string): Locator {
    return this.page.locator(`[data-testid="run-step"][data-step="${name}"]`);
  }

  log(step: string): Locator {
    return this.step(step).getByTestId("step-log");
  }
}
