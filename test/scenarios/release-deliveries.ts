// Test-only: the release of test/scenarios/release.ts as ingest receives it — each fact normalized
// from its real shape and wrapped as one delivery, with the clusters it comes from.
import type { Incoming } from "@/lib/ingest/store";
import { normalizeGitPush, normalizeHarborWebhook, normalizeResource } from "@/lib/sources";
import type { Observation } from "@/lib/sources/types";
import * as release from "./release";

export const staging = { cluster: "staging", environment: "staging" };
export const production = { cluster: "production", environment: "production" };
export const none = { cluster: "", environment: null };

function observations(result: ReturnType<typeof normalizeResource>): Observation[] {
  if (!result.ok) throw result.error;
  return result.observations;
}

/** A cluster object as its watcher delivers it. */
export function k8s(scope: typeof staging, object: Record<string, unknown>): Incoming[] {
  return observations(normalizeResource(object)).map((observation) => ({
    scope,
    observation,
    object,
  }));
}

/** A Harbor webhook body as its receiver delivers it. */
export function harbor(body: unknown): Incoming[] {
  return observations(normalizeHarborWebhook(body)).map((observation) => ({
    scope: none,
    observation,
  }));
}

/** Every fact of one release, each as its own delivery, in the order they happen. */
export function releaseDeliveries(): Incoming[][] {
  return [
    observations(normalizeGitPush(release.gitPush(), { event: "Push Hook" })).map(
      (observation) => ({ scope: none, observation }),
    ),
    k8s(staging, release.build()),
    harbor(release.harborPush()),
    harbor(release.harborScan()),
    k8s(staging, release.pipelineRun()),
    k8s(staging, release.gitCliTaskRun()),
    k8s(
      staging,
      release.application("payments-staging", "301", ["harbor.example.com/shop/payments:1.4.0"]),
    ),
    k8s(production, release.application("payments-production", "401", [])),
  ];
}
