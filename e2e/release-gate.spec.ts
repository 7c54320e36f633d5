// The release pipeline's production approval gate, decided by a person in the browser: a commit
// goes through build, image, scan and staging and waits at the gate; the demo approver (of the
// release-managers group the gate names) approves it and the timeline follows the pipeline to the
// production deploy, or rejects it and the timeline says who stopped it and why. Screenshots of
// the gate card, light and dark, land in e2e/output/screenshots/.
import type { Browser, Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";
import { collectErrors } from "./browser-log";
import { GateCardPanel } from "./pages/approvals";
import { TimelinePage } from "./pages/timeline-page";
import { simCommit, simTruth, waitForTruth } from "./sim-control";

const SHOTS = "e2e/output/screenshots";
/** How the demo approver is named in decisions and in the cluster's messages. */
const APPROVER = "approver@demo.shiplog.invalid";
/** From the commit to its production gate: kpack, Harbor, staging promote, sync and E2E. */
const TO_THE_GATE_MS = 60_000;

// Both commits start at once, so their pipelines run side by side; each test follows its own.
// Made with human gates (the simulator leaves their Approval to Shiplog) and without failures on
// their way, so both get as far as the production gate.
let approveSha: string;
let rejectSha: string;
test.beforeAll(async () => {
  [approveSha, rejectSha] = await Promise.all(
    ["payments", "storefront"].map(
      async (app) => (await simCommit(app, { humanGates: true, clean: true })).sha,
    ),
  );
});

/** Opens the commit's timeline as soon as Shiplog knows the commit. */
async function openTimeline(page: Page, app: string, sha: string): Promise<TimelinePage> {
  await expect
    .poll(async () => (await page.request.get(`/api/v1/commits/${sha}?app=${app}`)).status(), {
      timeout: 20_000,
    })
    .toBe(200);
  const timeline = new TimelinePage(page);
  await timeline.goto(app, sha);
  return timeline;
}

/** Waits, on the open page, until the commit stands at its production gate. */
async function waitsAtTheGate(timeline: TimelinePage) {
  const gate = timeline.stage("approval", "production");
  await expect(gate).toHaveAttribute("data-status", "waiting", { timeout: TO_THE_GATE_MS });
  for (const stage of ["build", "image"]) {
    await expect(timeline.stage(stage)).toHaveAttribute("data-status", "succeeded");
  }
  await expect(timeline.stage("scan")).toBeVisible();
  await expect(timeline.stage("pipeline", "staging")).toHaveAttribute("data-status", "succeeded");
  await expect(timeline.stage("deploy", "staging")).toHaveAttribute("data-status", "succeeded");
  await expect(timeline.stage("verify", "staging")).toHaveAttribute("data-status", "succeeded");
  await expect(timeline.stage("pipeline", "production")).toHaveAttribute("data-status", "running");
  await expect(timeline.stage("deploy", "production")).toHaveCount(0);
  const card = new GateCardPanel(timeline.page, gate);
  await expect(card.status).toHaveAttribute("data-gate-status", "pending");
  return card;
}

/** The gate card in the light and the dark theme (the system's, which the page follows live). */
async function shoot(page: Page, card: GateCardPanel, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    await card.card.screenshot({ path: `${SHOTS}/gate-card-${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** A viewer's look at the same gate, in a browser of their own. */
async function viewerSeesNoButtons(browser: Browser, app: string, sha: string) {
  const context = await browser.newContext();
  try {
    await signInAs(context, "dev");
    const page = await context.newPage();
    await new TimelinePage(page).goto(app, sha);
    const card = new GateCardPanel(page, page.locator('[data-stage="approval"]'));
    await expect(card.status).toHaveAttribute("data-gate-status", "pending");
    await expect(card.reason).toHaveText(/needs the approver role/);
    await expect(card.approve).toHaveCount(0);
    await expect(card.reject).toHaveCount(0);
  } finally {
    await context.close();
  }
}

test("the approver approves the production gate and the timeline follows the release to production", async ({
  page,
  browser,
  signIn,
}) => {
  test.setTimeout(120_000);
  await signIn("approver");
  const errors = collectErrors(page);
  const sha = approveSha;
  const timeline = await openTimeline(page, "payments", sha);
  const card = await waitsAtTheGate(timeline);
  await expect(card.card).toContainText("group:release-managers");
  await shoot(page, card, "waiting");

  // The author rule does not stand in the way: the simulator's authors are not demo users.
  const commit = (await simTruth()).commits.find((c) => c.sha === sha)!;
  expect(commit.author).not.toMatch(/^(dev|approver|operator|admin)$/);
  await expect(card.approve).toBeVisible();
  await expect(card.reason).toHaveCount(0);
  await viewerSeesNoButtons(browser, "payments", sha);

  await card.decide("approve", "staging E2E passed, scan reviewed");
  await expect(card.dialog).toBeHidden();
  await expect(card.result).toHaveText(/^Approved\./);
  await expect(card.decisions).toContainText(`${APPROVER} approved`);
  await expect(card.decisions).toContainText("staging E2E passed, scan reviewed");
  await expect(card.approve).toHaveCount(0);

  // Shiplog writes the decision to the CustomRun; Tekton goes on, Argo CD syncs production.
  await expect(timeline.stage("approval", "production")).toHaveAttribute(
    "data-status",
    "succeeded",
    { timeout: 20_000 },
  );
  await expect(card.status).toHaveAttribute("data-gate-status", "approved");
  await expect(timeline.stage("deploy", "production")).toHaveAttribute("data-status", "succeeded", {
    timeout: 30_000,
  });
  await expect(timeline.stage("pipeline", "production")).toHaveAttribute(
    "data-status",
    "succeeded",
    { timeout: 15_000 },
  );
  await shoot(page, card, "approved");
  // The simulator agrees: the gate approved, production deployed.
  const truth = await waitForTruth((commits) => {
    const c = commits.find((x) => x.sha === sha);
    return c?.deploys.some((d) => d.environment === "production" && d.status === "succeeded")
      ? c
      : undefined;
  }, 10_000);
  expect(truth.gates.map((g) => g.status)).toEqual(["approved"]);
  expect(errors).toEqual([]);
});

test("the approver rejects the production gate and the timeline says who stopped it and why", async ({
  page,
  signIn,
}) => {
  test.setTimeout(100_000);
  await signIn("approver");
  const errors = collectErrors(page);
  const sha = rejectSha;
  const timeline = await openTimeline(page, "storefront", sha);
  const card = await waitsAtTheGate(timeline);

  const why = "CVE-2026-1234 in the base image";
  await card.decide("reject", why);
  await expect(card.dialog).toBeHidden();
  await expect(card.result).toHaveText(/^Rejected\./);
  await expect(card.decisions).toContainText(`${APPROVER} rejected`);
  await expect(card.decisions).toContainText(why);

  // The CustomRun fails with Shiplog's message, and with it the promote PipelineRun.
  const gate = timeline.stage("approval", "production");
  await expect(gate).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  await expect(gate).toContainText(`Rejected by ${APPROVER}`);
  await expect(gate).toContainText(why);
  await expect(card.status).toHaveAttribute("data-gate-status", "rejected");
  await expect(timeline.stage("pipeline", "production")).toHaveAttribute("data-status", "failed", {
    timeout: 15_000,
  });
  await expect(timeline.stage("deploy", "production")).toHaveCount(0);
  await shoot(page, card, "rejected");
  const truth = await waitForTruth((commits) => {
    const c = commits.find((x) => x.sha === sha);
    return c?.pipelineRuns.some((p) => p.environment === "production" && p.status === "failed")
      ? c
      : undefined;
  }, 10_000);
  expect(truth.gates.map((g) => g.status)).toEqual(["rejected"]);
  expect(errors).toEqual([]);
});
