// Approval gates in the browser: a viewer gets no Approve button, the author of a change may not
// approve it, and an approver named through their single sign-on group approves from the inbox
// and the timeline shows the decision and the gate passing. Each test pushes its own commit (the
// Git webhook) and opens its own manual-approval-gate ApprovalTask for group release-managers in
// the production cluster, a gate the simulator leaves to people.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { loadClusters } from "../lib/k8s/kubeconfig";
import { CUSTOM_RUNS, objectClient } from "../lib/k8s/objects";
import { expect, test } from "./fixtures";
import { SSO_PERSON } from "./oidc-issuer";
import { ApprovalsPage, GateCardPanel } from "./pages/approvals";
import { TimelinePage } from "./pages/timeline-page";
import { testsKubeconfig } from "./sim-control";

const APP = "payments";
const SOMEONE_ELSE = { name: "Dana Dev", email: "dana@shop.example" };

type Gate = { id: string; app: string | null; sha: string | null; resource: { name: string } };

async function signInWithSso(page: Page) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
}

/** A new commit of APP by `author`, through the Git push webhook; returns its SHA. */
async function pushCommit(page: Page, author: { name: string; email: string }, title: string) {
  const apps = (await (await page.request.get("/api/v1/apps")).json()) as {
    name: string;
    repoUrl: string | null;
  }[];
  const repoUrl = apps.find((a) => a.name === APP)?.repoUrl;
  expect(repoUrl, `the repository of ${APP}`).toBeTruthy();
  const sha = randomBytes(20).toString("hex");
  const response = await page.request.post("/api/webhooks/git", {
    headers: {
      "X-Gitlab-Token": process.env.GIT_WEBHOOK_SECRET ?? "",
      "X-Gitlab-Event": "Push Hook",
    },
    data: {
      object_kind: "push",
      ref: "refs/heads/main",
      after: sha,
      checkout_sha: sha,
      user_name: author.name,
      project: { web_url: repoUrl, path_with_namespace: new URL(repoUrl!).pathname.slice(1) },
      commits: [
        {
          id: sha,
          message: `${title}\n`,
          title,
          timestamp: new Date().toISOString(),
          url: `${repoUrl}/-/commit/${sha}`,
          author,
        },
      ],
    },
  });
  expect(response.status(), await response.text()).toBeLessThan(300);
  await expect
    .poll(async () => (await page.request.get(`/api/v1/commits/${sha}?app=${APP}`)).status())
    .toBe(200);
  return sha;
}

/**
 * Opens a gate on the commit: a CustomRun of manual-approval-gate's ApprovalTask labelled with
 * the commit, naming only the release-managers group (the simulator votes for named users only).
 */
async function openGate(page: Page, sha: string, message: string): Promise<Gate> {
  const [production] = loadClusters({
    kubeconfig: testsKubeconfig(),
    contexts: [{ context: "production", environment: "production" }],
  });
  const name = `e2e-gate-${sha.slice(0, 8)}`;
  await objectClient(production.kubeConfig).create(
    { ...CUSTOM_RUNS, namespace: "ci" },
    {
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: {
        name,
        namespace: "ci",
        labels: { "shiplog.dev/commit": sha, "shiplog.dev/app": APP },
      },
      spec: {
        customRef: { apiVersion: "openshift-pipelines.org/v1alpha1", kind: "ApprovalTask" },
        params: [
          { name: "approvers", value: ["group:release-managers"] },
          { name: "numberOfApprovalsRequired", value: "1" },
          { name: "description", value: message },
        ],
      },
    },
  );
  let gate: Gate | undefined;
  await expect
    .poll(
      async () => {
        const all = (await (
          await page.request.get("/api/v1/approvals?status=pending")
        ).json()) as Gate[];
        gate = all.find((g) => g.resource.name === name && g.sha === sha);
        return Boolean(gate);
      },
      { message: `the gate of ${name}`, timeout: 20_000 },
    )
    .toBe(true);
  return gate!;
}

test("a viewer sees the gate and why they cannot decide it, and no Approve button", async ({
  page,
  signIn,
}) => {
  test.setTimeout(60_000);
  await signIn("dev");
  const sha = await pushCommit(page, SOMEONE_ELSE, "Tune the payment retries");
  const gate = await openGate(page, sha, "Ship the payment retries to production?");

  const timeline = new TimelinePage(page);
  await timeline.goto(APP, sha);
  const card = new GateCardPanel(page);
  await expect(card.card).toBeVisible({ timeout: 15_000 });
  await expect(card.card).toContainText("Ship the payment retries to production?");
  await expect(card.status).toHaveAttribute("data-gate-status", "pending");
  await expect(card.reason).toHaveText(/needs the approver role/);
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);

  const approvals = new ApprovalsPage(page);
  await approvals.goto();
  await expect(approvals.tab("Pending for me")).toHaveText("Pending for me (0)");
  await approvals.open("All pending");
  await expect(approvals.row(gate.id)).toContainText(sha.slice(0, 7));
  await expect(approvals.row(gate.id).getByTestId("gate-reason")).toHaveText(
    /needs the approver role/,
  );
  await expect(approvals.reviewLink(gate.id)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
});

test("the author of a change may not approve it, though their group is named", async ({ page }) => {
  test.setTimeout(60_000);
  await signInWithSso(page);
  const sha = await pushCommit(page, SSO_PERSON, "Speed up the refund export");
  const gate = await openGate(page, sha, "Ship the refund export?");

  const approvals = new ApprovalsPage(page);
  await approvals.goto();
  await approvals.open("Pending for me");
  await expect(approvals.row(gate.id)).toHaveCount(0);
  await approvals.open("All pending");
  await expect(approvals.row(gate.id).getByTestId("gate-reason")).toHaveText(
    "You wrote or pushed this change and may not approve it.",
  );

  await new TimelinePage(page).goto(APP, sha);
  const card = new GateCardPanel(page);
  await expect(card.card).toBeVisible({ timeout: 15_000 });
  await expect(card.reason).toHaveText("You wrote or pushed this change and may not approve it.");
  await expect(card.approve).toHaveCount(0);
  // The server agrees: asked directly, it refuses with the same reason.
  const refused = await page.request.post(`/api/v1/approvals/${gate.id}/decision`, {
    headers: { Origin: new URL(page.url()).origin },
    data: { decision: "approve" },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({
    error: `${SSO_PERSON.email} wrote or pushed this change and may not approve it`,
  });
});

test("an approver approves from the inbox and the timeline shows the decision", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInWithSso(page);
  const sha = await pushCommit(page, SOMEONE_ELSE, "Add the new card network");
  const gate = await openGate(page, sha, "Ship the new card network?");

  const approvals = new ApprovalsPage(page);
  await approvals.goto();
  await approvals.open("Pending for me");
  await expect(approvals.row(gate.id)).toContainText("0 of 1 approval");
  await approvals.reviewLink(gate.id).click();

  const timeline = new TimelinePage(page);
  await expect(timeline.timeline).toHaveAttribute("data-sha", sha);
  const card = new GateCardPanel(page);
  await expect(card.card).toBeVisible({ timeout: 15_000 });
  // Rejecting needs a comment: the dialog says so before anything is sent.
  await card.decide("reject");
  await expect(card.dialog.getByRole("alert")).toHaveText("A comment is required to reject.");
  await card.dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(card.dialog).toBeHidden();

  await card.decide("approve", "scan and tests look fine");
  await expect(card.dialog).toBeHidden();
  await expect(card.result).toHaveText(/^Approved\./);
  await expect(card.decisions).toContainText(`${SSO_PERSON.email} approved`);
  await expect(card.decisions).toContainText("scan and tests look fine");
  await expect(card.approve).toHaveCount(0);
  // The cluster gets the decision and the gate passes; the live timeline shows it.
  await expect(timeline.stage("approval")).toHaveAttribute("data-status", "succeeded", {
    timeout: 30_000,
  });
  await expect(card.status).toHaveAttribute("data-gate-status", "approved");

  await approvals.goto();
  await approvals.open("Decided");
  await expect(approvals.row(gate.id)).toContainText(`${SSO_PERSON.email} approved`);
  await expect(approvals.row(gate.id).getByTestId("gate-status")).toHaveAttribute(
    "data-gate-status",
    "approved",
  );
});
