// Test-only: what the gate integration tests share on top of test/gate-env.ts — deciders, the production
// cluster's CustomRuns, waiting for gates, hand-made Approval CustomRuns and the status writes.
import { succeededCondition } from "@/sim/test-support";
import type { Decider } from "@/lib/gates/policy";
import { listGates, type Gate } from "@/lib/gates/store";
import { until, type TestEnv } from "@/test/gate-env";

export const CR = "customruns.tekton.dev";

/** A signed-in approver whose username is `name` and whose verified e-mail is name@example.com. */
export const person = (name: string, groups: string[] = []): Decider => ({
  kind: "user",
  key: `user:u-${name}`,
  actor: `${name}@example.com`,
  username: name,
  email: `${name}@example.com`,
  groups,
  roles: ["viewer", "approver"],
  self: { username: name, email: `${name}@example.com`, name },
});

export function gateHelpers(env: () => TestEnv) {
  const customRun = (name: string) => env().sim.clusters.production.get(CR, "ci", name);
  const cond = (name: string) => succeededCondition(customRun(name));

  const gateFor = (
    where: (g: Gate) => boolean,
    what: string,
    status: "pending" | undefined = "pending",
  ): Promise<Gate> =>
    until(async () => (await listGates(env().pool, { status, limit: 100 })).find(where), what);

  /** An Approval CustomRun made by hand (no PipelineRun), with these params and spec fields. */
  async function handMade(
    name: string,
    params: Record<string, unknown>,
    spec: object = {},
    opts: { expiring?: boolean } = {},
  ) {
    env().sim.clusters.production.create({
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: { name, namespace: "ci" },
      spec: {
        customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" },
        params: Object.entries(params).map(([key, value]) => ({ name: key, value })),
        ...spec,
      },
    });
    // A gate about to expire may be gone from the pending list (and its run finished) at once.
    const gate = await gateFor(
      (g) => g.resource.name === name,
      `the gate of ${name}`,
      opts.expiring ? undefined : "pending",
    );
    if (!opts.expiring)
      await until(async () => cond(name)?.status === "Unknown", `${name} marked running`);
    return gate;
  }

  const statusWrites = async (name: string) =>
    (await env().writes({ cluster: "production", kind: "CustomRun", name })).filter(
      (w) => w.subresource === "status" && w.code === 200,
    );

  /** Writes that finished the run (Succeeded True or False). */
  const finalWrites = async (name: string) =>
    (await statusWrites(name)).filter((w) =>
      JSON.stringify(w.body).match(/"status":"(True|False)"/),
    );

  return { customRun, cond, gateFor, handMade, statusWrites, finalWrites };
}
