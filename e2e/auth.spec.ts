// Sign-in, roles and API tokens in a real browser against the production server in demo mode.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { DEMO_USERS, demoPassword, expect, signInAs, test } from "./fixtures";
import { SSO_PERSON } from "./oidc-issuer";
import { SignInPage } from "./pages/sign-in-page";
import { UserMenu } from "./pages/user-menu";

/** The app under test, as playwright.config.ts serves it. */
const APP_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;

const ROLES_OF: Record<(typeof DEMO_USERS)[number], string> = {
  dev: "viewer",
  approver: "viewer, approver",
  operator: "viewer, operator",
  admin: "viewer, approver, operator, admin",
};

/** fetch() from the page: same origin, the session cookie, the browser's own Origin header. */
async function fetchInPage(
  page: import("@playwright/test").Page,
  url: string,
  init: { method: string; body?: unknown },
) {
  return page.evaluate(
    async ({ url, method, body }) => {
      const response = await fetch(url, {
        method,
        headers: { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    { url, method: init.method, body: init.body },
  );
}

test("a signed-out visit lands on /signin and comes back after signing in", async ({ page }) => {
  await page.goto("/admin/audit?actor=x");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Faudit%3Factor%3Dx$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);
  const signIn = new SignInPage(page);
  await expect(signIn.heading).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with single sign-on" })).toBeVisible();
  await signIn.signIn("dev", demoPassword());
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
});

for (const user of DEMO_USERS) {
  test(`${user} signs in, sees their roles, and signs out`, async ({ page, context }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(user, demoPassword());
    await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();

    const session = (await context.cookies()).find((c) => c.name === "next-auth.session-token");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });

    const menu = new UserMenu(page);
    await menu.open(user);
    await expect(menu.roles).toHaveText(ROLES_OF[user]);
    await expect(menu.adminNav).toHaveCount(user === "admin" ? 1 : 0);

    await menu.signOutButton.click();
    await expect(page).toHaveURL(/\/signin$/);
    expect((await context.cookies()).map((c) => c.name)).not.toContain("next-auth.session-token");
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);

    if (user === "admin") {
      // The sign-in and the sign-out are both in the audit log.
      await signInAs(context, "admin");
      await page.goto("/admin/audit?actor=admin%40demo.shiplog.invalid&action=auth.sign_out");
      const log = page.getByRole("table", { name: "Audit log" });
      await expect(log.getByRole("row", { name: /auth\.sign_out/ }).first()).toContainText(
        "success",
      );
    }
  });
}

test("single sign-on (PKCE, state) maps the ID token's groups to roles", async ({
  page,
  browser,
  request,
}) => {
  const signIn = new SignInPage(page);
  await signIn.goto("/");
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
  const menu = new UserMenu(page);
  await menu.open(SSO_PERSON.name);
  // release-managers → approver, sre → operator, developers → nothing more.
  await expect(menu.roles).toHaveText("viewer, approver, operator");
  await expect(menu.adminNav).toHaveCount(0);

  const asked = (await (
    await request.get(`${process.env.AUTH_OIDC_ISSUER}/last-authorize`)
  ).json()) as Record<string, string>;
  expect(asked).toMatchObject({
    client_id: "shiplog-e2e",
    response_type: "code",
    scope: "openid email profile groups",
    code_challenge_method: "S256",
    redirect_uri: `${APP_ORIGIN}/api/auth/callback/oidc`,
  });
  expect(asked.state).toMatch(/.{20,}/);
  expect(asked.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // The admin sees the person with the groups and what each grants.
  const admin = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await signInAs(admin, "admin");
  const users = await admin.newPage();
  await users.goto("/admin/users");
  const row = users.getByRole("row", { name: new RegExp(SSO_PERSON.email) });
  await expect(row).toContainText("viewer, approver, operator");
  await expect(row).toContainText("release-managers → approver");
  await expect(row).toContainText("sre → operator");
  await expect(row).toContainText("developers");
  await expect(row).toContainText("oidc");
  await admin.close();
});

test("a wrong password is refused with a clear message", async ({ page, context }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn("admin", "not-the-password");
  await expect(signIn.error).toHaveText("Wrong user name or password.");
  await expect(page).toHaveURL(/\/signin$/);
  expect((await context.cookies()).map((c) => c.name)).not.toContain("next-auth.session-token");
});

test("the menu opens from the keyboard and closes with Escape", async ({ page, signIn }) => {
  await signIn("approver");
  await page.goto("/");
  const menu = new UserMenu(page);
  await menu.toggle("approver").focus();
  await page.keyboard.press("Enter");
  await expect(menu.roles).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu.roles).toBeHidden();
  await expect(menu.toggle("approver")).toBeFocused();
});

test("a viewer reads the API but the server refuses them token admin", async ({ page, signIn }) => {
  await signIn("dev");
  await page.goto("/");
  expect((await fetchInPage(page, "/api/v1/apps", { method: "GET" })).status).toBe(200);
  expect(await fetchInPage(page, "/api/v1/tokens", { method: "GET" })).toEqual({
    status: 403,
    body: { error: "this needs the admin role; dev@demo.shiplog.invalid has viewer" },
  });
  expect(
    await fetchInPage(page, "/api/v1/tokens", {
      method: "POST",
      body: { name: "sneaky", role: "admin" },
    }),
  ).toEqual({
    status: 403,
    body: { error: "this needs the admin role; dev@demo.shiplog.invalid has viewer" },
  });
  // Admin navigation is hidden, and the admin pages refuse on the server too.
  await new UserMenu(page).open("dev");
  await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(0);
  await page.goto("/admin/tokens");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(
    page.getByText("This needs the admin role; dev@demo.shiplog.invalid has viewer."),
  ).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("a cross-site mutation with an admin's cookie is refused", async ({ context, signIn }) => {
  await signIn("admin");
  const response = await context.request.post("/api/v1/tokens", {
    headers: { Origin: "https://evil.example" },
    data: { name: "forged", role: "admin" },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({
    error: `cross-site request refused: Origin https://evil.example is not ${APP_ORIGIN}`,
  });
});

test("an admin creates a token (shown once), it authenticates, and revoking ends it", async ({
  page,
  signIn,
  request,
  playwright,
}) => {
  await signIn("admin");
  await page.goto("/");
  await new UserMenu(page).open("admin");
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();

  await page.getByLabel("Name").fill("e2e-ci");
  await page.getByLabel("Role").selectOption("operator");
  await page.getByLabel("Expires").selectOption("30d");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^shl_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;
  const row = page.getByRole("row", { name: /e2e-ci/ });
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await expect(row).toContainText("operator");
  await expect(row).toContainText("active");

  // The page keeps neither the token (after a reload) nor its hash.
  await page.reload();
  const html = await page.content();
  expect(html).not.toContain(token);
  expect(html).not.toContain(createHash("sha256").update(token).digest("hex"));

  // A client without cookies, with the token.
  const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const auth = { Authorization: `Bearer ${token}` };
  expect((await api.get("/api/v1/apps", { headers: auth })).status()).toBe(200);
  const denied = await api.get("/api/v1/tokens", { headers: auth });
  expect(denied.status()).toBe(403);
  expect((await request.get("/api/v1/apps")).status()).toBe(401);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Revoke e2e-ci" }).click();
  await expect(page.getByRole("row", { name: /e2e-ci/ })).toContainText("revoked");
  const after = await api.get("/api/v1/apps", { headers: auth });
  expect(after.status()).toBe(401);
  expect((await after.json()).error).toBe(`API token ${token.slice(0, 12)}… is revoked`);
  await api.dispose();

  // Both changes are in the audit log, under the admin's name.
  await page.goto("/admin/audit?actor=admin%40demo.shiplog.invalid");
  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log.getByRole("row", { name: /token\.create/ }).first()).toContainText("e2e-ci");
  await expect(log.getByRole("row", { name: /token\.revoke/ }).first()).toContainText("e2e-ci");
  await expect(log.getByRole("row", { name: /auth\.sign_in/ }).first()).toContainText("success");
});

test("an admin sees every demo user with their roles", async ({ page, signIn }) => {
  for (const user of DEMO_USERS) await signIn(user);
  await page.goto("/admin/users");
  for (const user of DEMO_USERS) {
    const row = page.getByRole("row", { name: new RegExp(`${user}@demo\\.shiplog\\.invalid`) });
    await expect(row).toContainText(ROLES_OF[user]);
    await expect(row).toContainText("demo");
  }
});

test("responses carry the security headers", async ({ request }) => {
  const response = await request.get("/signin");
  const headers = response.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  // Plain http here (AUTH_URL): no Strict-Transport-Security, which would pin the browser to https.
  expect(headers["strict-transport-security"]).toBeUndefined();
});

test("a copy of the session cookie stops working once its owner signs out", async ({
  page,
  context,
  browser,
  signIn,
}) => {
  await signIn("approver");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
  // Another browser holding the same cookie (copied, or a second device restored from a backup).
  const copy = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await copy.addCookies(await context.cookies());
  const other = await copy.newPage();
  await other.goto("/approvals");
  await expect(other.getByRole("heading", { level: 1, name: "Approvals" })).toBeVisible();

  await new UserMenu(page).signOut("approver");
  await expect(page).toHaveURL(/\/signin$/);
  await other.goto("/approvals");
  await expect(other).toHaveURL(/\/signin\?callbackUrl=%2Fapprovals$/);
  expect((await copy.request.get("/api/v1/apps")).status()).toBe(401);
  await copy.close();
});

test("a disabled person is told why they cannot sign in, and signs in once enabled", async ({
  page,
}) => {
  const user = (command: "disable" | "enable") => {
    const result = spawnSync("node_modules/.bin/tsx", ["scripts/user.ts", command, "operator"], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: process.env.DATABASE_URL ?? "",
      } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  };
  user("disable");
  try {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn("operator", demoPassword());
    await expect(signIn.error).toHaveText(
      "Your Shiplog account is disabled. Ask an administrator to enable it.",
    );
    await expect(page).toHaveURL(/\/signin$/);
  } finally {
    user("enable");
  }
  const signIn = new SignInPage(page);
  await signIn.signIn("operator", demoPassword());
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
});

test("someone outside the viewer= groups reads why on the sign-in page", async ({ page }) => {
  // Where next-auth sends a single sign-on the signIn callback refused (lib/auth/options.ts).
  await page.goto("/signin?error=NotInViewerGroup");
  await expect(new SignInPage(page).error).toHaveText(
    "Your account is in none of the groups allowed to use Shiplog. Ask an administrator to add you to one.",
  );
});
