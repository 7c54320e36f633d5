// Page object for an operator's actions on one timeline stage (Re-run, Rebuild, Sync, Hard
// refresh), their confirmation dialog, and the stage's attempt count.
import { expect, type Locator, type Page } from "@playwright/test";

export type StageActionLabel = "Re-run" | "Rebuild" | "Sync" | "Hard refresh";

export class StageActions {
  readonly actions: Locator;
  readonly buttons: Locator;
  readonly dialog: Locator;
  readonly result: Locator;
  readonly error: Locator;

  constructor(
    readonly page: Page,
    readonly stage: Locator,
  ) {
    this.actions = stage.getByTestId("rerun-actions");
    this.buttons = this.actions.getByRole("button");
    // Every stage has its dialog in the page; only the open one is a dialog to assistive tech.
    this.dialog = stage.getByRole("dialog");
    this.result = this.dialog.getByTestId("rerun-result");
    this.error = this.dialog.getByTestId("rerun-error");
  }

  /** The button of one action, named "<label> <Kind> <name>" for screen readers. */
  button(label: StageActionLabel): Locator {
    return this.actions.getByRole("button", { name: new RegExp(`^${label} `) });
  }

  confirm(label: StageActionLabel): Locator {
    return this.dialog.getByRole("button", { name: `Confirm: ${label}` });
  }

  /** Opens the action's dialog, gives a reason and confirms once; waits for the server's answer. */
  async run(label: StageActionLabel, reason: string) {
    await this.button(label).click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel(/^Reason/).fill(reason);
    await this.confirm(label).click();
    await expect(this.result).toBeVisible();
  }

  async close() {
    await this.dialog.getByRole("button", { name: "Close" }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** "attempt N of M" beside the stage's title, shown once the stage has more than one attempt. */
  attempt(n: number, of: number): Locator {
    return this.stage.getByText(`attempt ${n} of ${of}`, { exact: true });
  }
}
