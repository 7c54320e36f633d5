// Operators' re-runs in the browser: on a commit that reached staging, an operator re-runs its
// promote PipelineRun, rebuilds its kpack Build and syncs its Argo CD Application, each through
// the confirmation dialog, and each shows as the next attempt on the same timeline without a
// reload; a double click on confirm starts one run; viewers and approvers get no such buttons; a
// re-run of a run waiting at its start gate says it waits too, and shows with a new gate, and the
// held run starts once an approver approves; an operator rebuilds a kpack Image through the API.
import type { Request } from "@playwright/test";
import { loadClusters } from "../lib/k8s/kubeconfig";
import { KPACK_BUILDS, PIPELINE_RUNS, objectClient } from "../lib/k8s/objects";
import { expect, test, type DemoUser } from "./fixtures";
import { collectErrors } from "./browser-log";
import { StageActions } from "./pages/stage-actions";
import { TimelinePage } from "./pages/timeline-page";
import { simCommit, testsKubeconfig, waitForTruth } from "./sim-control";

const APP = "search";

// One commit for the file, without failures on its way; the tests wait for it to be deployed
// to staging and tested there, which is as far as they need it.
let sha: string;
/** The commit's staging promote PipelineRun. */
let stagingRun: string;
test.beforeAll(async () => {
  test.setTimeout(70_000);
  const commit = await simCommit(APP, { clean: true });
  sha = await waitForTruth((commits) => {
    const c = commits.find((x) => x.sha === commit.sha);
    const deployed = c?.deploys.some(
      (d) => d.environment === "staging" && d.status === "succeeded",
    );
    const tested = c?.pipelineRuns.some(
      (p) => p.stage === "verify" && p.environment === "staging" && p.status === "succeeded",
    );
    return deployed && tested ? c! : undefined;
  }, 60_000).then((c) => {
    stagingRun = c.pipelineRuns.find(
      (p) => p.stage === "pipeline" && p.environment === "staging",
    )!.name;
    return c.sha;
  });
});

test("an operator re-runs, rebuilds and syncs, and each is the next attempt on the timeline", async ({
  page,
  signIn,
}) => {
  test.setTimeout(90_000);
  await signIn("operator");
  const errors = collectErrors(page);
  const timeline = new TimelinePage(page);
  await timeline.goto(APP, sha);

  // The sync first: the other two lead to new manifests, which Argo CD would sync by itself.
  const deploy = new StageActions(page, timeline.stage("deploy", "staging"));
  await expect(deploy.stage).toHaveAttribute("data-status", "succeeded");
  await expect(deploy.attempt(2, 2)).toHaveCount(0);
  await deploy.run("Sync", "re-apply after a manual kubectl edit");
  await expect(deploy.result).toHaveText(/^Sync started/);
  await deploy.close();
  // Argo CD's sync history gets a second entry for the same image: attempt 2 of the deploy.
  await expect(deploy.attempt(2, 2)).toBeVisible({ timeout: 20_000 });
  await expect(deploy.stage).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });

  const pipeline = new StageActions(page, timeline.stage("pipeline", "staging"));
  await expect(pipeline.stage).toHaveAttribute("data-status", "succeeded");
  await pipeline.run("Re-run", "flaky git push");
  await expect(pipeline.result).toHaveText(/^Re-run started/);
  await pipeline.close();
  await expect(pipeline.attempt(2, 2)).toBeVisible({ timeout: 20_000 });
  await expect(pipeline.stage).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(pipeline.stage).toContainText("1 earlier attempt");

  const build = new StageActions(page, timeline.stage("build"));
  await expect(build.stage).toHaveAttribute("data-status", "succeeded");
  await build.run("Rebuild", "pick up the patched base image");
  await expect(build.result).toHaveText(/^Rebuild requested/);
  await build.close();
  await expect(build.attempt(2, 2)).toBeVisible({ timeout: 20_000 });
  await expect(build.stage).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  expect(errors).toEqual([]);
});

test("a double click on confirm starts one run", async ({ page, signIn }) => {
  test.setTimeout(60_000);
  await signIn("operator");
  const timeline = new TimelinePage(page);
  await timeline.goto(APP, sha);
  const verify = new StageActions(page, timeline.stage("verify", "staging"));
  const [staging] = loadClusters({
    kubeconfig: testsKubeconfig(),
    contexts: [{ context: "staging", environment: "staging" }],
  });
  const rerunsOf = async (name: string) =>
    (
      await objectClient(staging.kubeConfig).list(
        { ...PIPELINE_RUNS, namespace: "ci" },
        `shiplog.dev/rerun-of=${name}`,
      )
    ).map((r) => r.metadata?.name);

  const sent: Request[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/reruns") sent.push(r);
  });
  await verify.button("Re-run").click();
  await expect(verify.dialog).toBeVisible();
  // The run the dialog asks about (the stage's newest attempt when it opened).
  const question = await verify.dialog.getByText(/^Re-run PipelineRun ci\//).textContent();
  const name = /ci\/(\S+) in staging\?$/.exec(question ?? "")?.[1] ?? "";
  expect(name, question ?? "").not.toBe("");
  expect(await rerunsOf(name)).toEqual([]);
  await verify.confirm("Re-run").dblclick();
  await expect(verify.result).toHaveText(/^Re-run started/);

  // However many requests the double click sent, they were one request to the server...
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent.map((r) => r.headers()["idempotency-key"])).size).toBe(1);
  // ...which made one new run in the cluster, on the timeline without a reload (as the newest
  // attempt, or an earlier one should the pipeline have moved on since).
  await expect.poll(() => rerunsOf(name)).toHaveLength(1);
  const [rerun] = await rerunsOf(name);
  await verify.close();
  await expect(
    page.locator(`a[href="/runs/staging/ci/pipelineruns/${rerun}"]`).first(),
  ).toBeAttached({ timeout: 20_000 });

  // Sent once more with the same key, the server answers with the same action, starts nothing.
  const first = sent[0];
  const again = await page.request.post("/api/v1/reruns", {
    headers: {
      Origin: new URL(page.url()).origin,
      "Idempotency-Key": first.headers()["idempotency-key"],
    },
    data: first.postDataJSON(),
  });
  expect(again.status()).toBe(202);
  expect((await again.json()).id).toBe((await (await first.response())!.json()).id);
  expect(await rerunsOf(name)).toEqual([rerun]);
});

for (const user of ["dev", "approver"] as DemoUser[]) {
  test(`${user} sees no re-run buttons`, async ({ page, signIn }) => {
    await signIn(user);
    const timeline = new TimelinePage(page);
    await timeline.goto(APP, sha);
    await expect(timeline.stage("deploy", "staging").first()).toBeVisible();
    await expect(timeline.stage("build").first()).toBeVisible();
    await expect(page.getByTestId("rerun-actions")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^(Re-run|Rebuild|Sync) / })).toHaveCount(0);
  });
}

test("a re-run of a run waiting at its start gate waits too, behind a new gate", async ({
  page,
  signIn,
}) => {
  test.setTimeout(90_000);
  const [staging] = loadClusters({
    kubeconfig: testsKubeconfig(),
    contexts: [{ context: "staging", environment: "staging" }],
  });
  const client = objectClient(staging.kubeConfig);
  const ref = { ...PIPELINE_RUNS, namespace: "ci" };
  // The commit's promote run again, created to wait until someone approves its start.
  const original = await client.get(ref, stagingRun);
  const held = await client.create(ref, {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: {
      generateName: "held-promote-",
      namespace: "ci",
      labels: Object.fromEntries(
        Object.entries(original.metadata?.labels ?? {}).filter(
          ([k]) => !k.startsWith("tekton.dev/"),
        ),
      ),
      annotations: { "shiplog.dev/approval-message": "start after the freeze" },
    },
    spec: { ...(original.spec as object), status: "PipelineRunPending" },
  });
  await signIn("operator");
  const errors = collectErrors(page);
  const timeline = new TimelinePage(page);
  await timeline.goto(APP, sha);
  const starts = timeline.stage("approval", "staging");
  await expect(starts).toHaveCount(1, { timeout: 20_000 });
  await expect(starts).toHaveAttribute("data-status", "waiting");
  const start = new StageActions(page, starts.first());
  await start.run("Re-run", "the freeze moved");
  await expect(start.result).toHaveText(/^Re-run created: it waits for approval to start/);
  await start.close();
  // The re-run's own gate, waiting, beside the original's: nothing started.
  await expect(starts).toHaveCount(2, { timeout: 20_000 });
  for (const stage of await starts.all())
    await expect(stage).toHaveAttribute("data-status", "waiting");
  const reruns = await client.list(ref, `shiplog.dev/rerun-of=${held.metadata?.name}`);
  expect(reruns.map((r) => (r.spec as { status?: string }).status)).toEqual(["PipelineRunPending"]);
  expect(errors).toEqual([]);

  // An approver lets the held run start: Shiplog takes PipelineRunPending off its spec.
  await signIn("approver");
  let gateId: string | undefined;
  await expect
    .poll(
      async () => {
        const pending = (await (
          await page.request.get("/api/v1/approvals?status=pending")
        ).json()) as { id: string; resource: { name: string } }[];
        gateId = pending.find((g) => g.resource.name === held.metadata?.name)?.id;
        return Boolean(gateId);
      },
      { message: `the start gate of ${held.metadata?.name}`, timeout: 20_000 },
    )
    .toBe(true);
  const approved = await page.request.post(`/api/v1/approvals/${gateId}/decision`, {
    headers: { Origin: new URL(page.url()).origin },
    data: { decision: "approve", comment: "the freeze is over" },
  });
  expect(approved.status()).toBe(200);
  await expect
    .poll(
      async () =>
        ((await client.get(ref, held.metadata!.name!)).spec as { status?: string }).status ??
        "started",
      { message: "the held run starts", timeout: 20_000 },
    )
    .toBe("started");
});

test("an operator rebuilds a kpack Image through the API", async ({ page, signIn }) => {
  const [staging] = loadClusters({
    kubeconfig: testsKubeconfig(),
    contexts: [{ context: "staging", environment: "staging" }],
  });
  const [built] = (await waitForTruth((commits) => commits.find((c) => c.sha === sha))).builds;
  const build = await objectClient(staging.kubeConfig).get(
    { ...KPACK_BUILDS, namespace: built.namespace },
    built.name,
  );
  const image = build.metadata?.labels?.["image.kpack.io/image"];
  expect(image, `the Image of Build ${built.name}`).toBeTruthy();
  await signIn("operator");
  await page.goto("/");
  const response = await page.request.post("/api/v1/reruns", {
    headers: { Origin: new URL(page.url()).origin },
    data: {
      system: "kpack",
      cluster: "staging",
      namespace: built.namespace,
      kind: "Image",
      name: image,
      reason: "a new run image was published",
    },
  });
  expect(response.status()).toBe(202);
  expect(
    ((await response.json()) as { result: { kind: string; name: string } }).result,
  ).toMatchObject({
    kind: "Image",
    name: image,
  });
});
