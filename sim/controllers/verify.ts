// The E2E verify stage: a Selenium suite PipelineRun (label shiplog.dev/stage: verify) started in the
// environment's cluster when a deploy turns Healthy, carrying the environment and the image digest.
import type { KubeObject } from "../kube";
import type { SimContext } from "./context";
import { CI_NAMESPACE, TEKTON_API } from "./tekton-catalog";

const SUITES: Record<string, string[]> = {
  payments: [
    "pays with a saved card",
    "refunds a captured payment",
    "declines an expired card",
    "shows the receipt",
  ],
  storefront: [
    "adds a product to the cart",
    "checks out as a guest",
    "switches the locale",
    "filters by size",
  ],
  search: ["finds products by name", "suggests on typos", "counts facets", "pages through results"],
};
const GENERIC = ["loads the home page", "logs in", "serves the health check", "logs out"];

export function e2eOutcome(ctx: SimContext, app: string, env: string, image: string) {
  const tests = SUITES[app] ?? GENERIC;
  const commit = ctx.ledger.commitOfDigest(image.split("@")[1] ?? "");
  const fails = ctx.seed.chance(
    ctx.ledger.ratesOf(ctx.config.rates, commit).test,
    "e2e-fails",
    app,
    env,
    image,
  );
  const failing = fails ? ctx.seed.pick(tests, "e2e-failing", app, env, image) : null;
  return { passed: tests.filter((t) => t !== failing), failed: failing ? [failing] : [] };
}

export function verifyRunObject(
  ctx: SimContext,
  input: { app: string; env: string; image: string; revision: string; attempt: number },
): KubeObject {
  const digest = input.image.split("@")[1] ?? "";
  // Not keyed by the synced revision: Argo CD syncs the branch head, which depends on timing.
  const suffix = ctx.seed.suffix("e2e", input.app, input.env, digest, input.attempt);
  return {
    apiVersion: TEKTON_API,
    kind: "PipelineRun",
    metadata: {
      generateName: `e2e-${input.app}-`,
      name: `e2e-${input.app}-${suffix}`,
      namespace: CI_NAMESPACE,
      labels: {
        "tekton.dev/pipeline": "e2e",
        "shiplog.dev/stage": "verify",
        "shiplog.dev/app": input.app,
        "shiplog.dev/environment": input.env,
        "triggers.tekton.dev/eventlistener": "argocd-notifications",
        "triggers.tekton.dev/trigger": "on-deployed",
      },
    },
    spec: {
      pipelineRef: { name: "e2e" },
      params: [
        { name: "image", value: input.image },
        { name: "environment", value: input.env },
        { name: "base-url", value: `https://${input.app}.${input.env}.shop.example.com` },
        { name: "manifests-revision", value: input.revision },
      ],
      taskRunTemplate: { serviceAccountName: "pipeline" },
      timeouts: { pipeline: "30m0s" },
    },
  };
}
