// Page object for the header's account menu: who is signed in, their roles, admin links.
import type { Locator, Page } from "@playwright/test";

export class UserMenu {
  readonly roles: Locator;
  readonly adminNav: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.roles = page.getByTestId("user-roles");
    this.adminNav = page.getByRole("navigation", { name: "Admin", exact: true });
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
  }

  /** The menu's toggle (a <summary>) for a person. */
  toggle(name: string): Locator {
    return this.page.getByLabel(`Account menu for ${name}`);
  }

  async open(name: string) {
    await this.toggle(name).click();
  }

  async signOut(name: string) {
    await this.open(name);
    await this.signOutButton.click();
  }
}
