// Page objects for approval gates: the inbox (/approvals) with its tabs and gate rows, and the
// gate card on a commit's timeline with its Approve / Reject buttons and confirmation dialog.
import { expect, type Locator, type Page } from "@playwright/test";

export type InboxTabName = "Pending for me" | "All pending" | "Decided";

export class ApprovalsPage {
  readonly heading: Locator;
  readonly inbox: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Approvals" });
    this.inbox = page.getByTestId("approvals-inbox");
    this.rows = this.inbox.getByTestId("gate-row");
  }

  async goto() {
    await this.page.goto("/approvals");
    await expect(this.heading).toBeVisible();
    await expect(this.inbox).toBeVisible();
  }

  tab(name: InboxTabName): Locator {
    return this.inbox.getByRole("tab", { name: new RegExp(`^${name} \\(\\d+\\)$`) });
  }

  async open(name: InboxTabName) {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute("aria-selected", "true");
  }

  /** The row of one gate, by its id. */
  row(gateId: string): Locator {
    return this.inbox.locator(`[data-testid="gate-row"][data-gate-id="${gateId}"]`);
  }

  reviewLink(gateId: string): Locator {
    return this.row(gateId).getByRole("link", { name: /^Review and decide/ });
  }
}

/** The gate card inside a commit timeline's approval stage. */
export class GateCardPanel {
  readonly card: Locator;
  readonly approve: Locator;
  readonly reject: Locator;
  readonly reason: Locator;
  readonly status: Locator;
  readonly decisions: Locator;
  readonly result: Locator;
  readonly dialog: Locator;
  readonly comment: Locator;
  readonly dialogError: Locator;

  constructor(
    readonly page: Page,
    within: Locator = page.locator('[data-testid="stage"][data-stage="approval"]'),
  ) {
    this.card = within.getByTestId("gate-card");
    this.approve = this.card.getByRole("button", { name: "Approve", exact: true });
    this.reject = this.card.getByRole("button", { name: "Reject", exact: true });
    this.reason = this.card.getByTestId("gate-reason");
    this.status = this.card.getByTestId("gate-status");
    this.decisions = this.card.getByTestId("gate-decisions");
    this.result = this.card.getByTestId("decision-result");
    this.dialog = page.getByRole("dialog");
    this.comment = this.dialog.getByLabel(/^Comment/);
    this.dialogError = this.dialog.getByTestId("decision-error");
  }

  /** Approve (or reject) through the confirmation dialog, with an optional comment. */
  async decide(decision: "approve" | "reject", comment = "") {
    await (decision === "approve" ? this.approve : this.reject).click();
    await expect(this.dialog).toBeVisible();
    if (comment) await this.comment.fill(comment);
    await this.dialog
      .getByRole("button", {
        name: decision === "approve" ? "Confirm approval" : "Confirm rejection",
      })
      .click();
  }
}
