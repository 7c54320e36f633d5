// Shared e2e fixtures: the demo users' password (scripts/e2e.ts sets it for the server and the
// tests) and `signIn`, which signs a demo user in through next-auth's credentials callback so
// that tests about other pages start signed in without clicking through /signin.
import { test as base, expect, type BrowserContext } from "@playwright/test";

export const DEMO_USERS = ["dev", "approver", "operator", "admin"] as const;
export type DemoUser = (typeof DEMO_USERS)[number];

export function demoPassword(): string {
  const password = process.env.SHIPLOG_DEMO_PASSWORD;
  if (!password)
    throw new Error("SHIPLOG_DEMO_PASSWORD is not set: run the e2e tests with npm run test:e2e");
  return password;
}

/** Signs `user` in for the whole browser context (the session cookie lands in its jar). */
export async function signInAs(context: BrowserContext, user: DemoUser): Promise<void> {
  const { request } = context;
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/demo", {
    form: { csrfToken: csrf.csrfToken, username: user, password: demoPassword(), json: "true" },
  });
  expect(response.ok(), `sign-in of ${user}`).toBe(true);
  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name)).toContain("next-auth.session-token");
}

export const test = base.extend<{ signIn: (user: DemoUser) => Promise<void> }>({
  // Playwright's fixture callback, named so that React's hook lint rule does not mistake it.
  signIn: async ({ context }, provide) => {
    await provide((user) => signInAs(context, user));
  },
});

export { expect };
