// Page object for /signin: the demo users' form and the error it shows.
import { expect, type Locator, type Page } from "@playwright/test";

export class SignInPage {
  readonly heading: Locator;
  readonly userName: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Sign in to Shiplog" });
    this.userName = page.getByLabel("User name");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in", exact: true });
    // Next.js has its own (empty) alert region, the route announcer: look inside the card.
    this.error = page.getByRole("region", { name: "Sign in to Shiplog" }).getByRole("alert");
  }

  async goto(callbackUrl?: string) {
    await this.page.goto(
      callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin",
    );
    await expect(this.heading).toBeVisible();
  }

  async signIn(user: string, password: string) {
    await this.userName.fill(user);
    await this.password.fill(password);
    await this.submit.click();
  }
}
