// Everything the simulator writes has the real systems' shape: one scenario played (both gate
// flavours, failures, rebuilds, a cancelled and a timed-out run), then every object in every
// cluster validated against its CRD schema — and no write of the run lost a field to pruning.
// kpack's CRDs are schemaless, so Images and Builds are checked against kpack's OpenAPI.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { validateAgainstSchema } from "./kube/schema";
import type { KubeObject } from "./kube";
import { startTestSimulator, waitFor } from "./test-support";

// Every top-level prune the apiserver rules make, with the fields it dropped.
const pruned = vi.hoisted(() => [] as Array<{ kind: string; name: string; removed: string[] }>);
vi.mock("./kube/schema", async (importOriginal) => {
  const mod = await importOriginal<typeof import("./kube/schema")>();
  return {
    ...mod,
    pruneAndDefault: (...args: Parameters<typeof mod.pruneAndDefault>) => {
      const [value, schema, root, removed, path] = args;
      const seen: string[] = removed ?? [];
      const out = mod.pruneAndDefault(value, schema, root, seen, path);
      const obj = value as KubeObject;
      if (!removed && seen.length) {
        pruned.push({ kind: obj.kind, name: String(obj.metadata?.name), removed: [...seen] });
      }
      return out;
    },
  };
});

type Schema = Record<string, unknown>;
const swagger = JSON.parse(
  readFileSync(
    new URL("./controllers/fixtures/kpack-openapi-swagger.json", import.meta.url),
    "utf8",
  ),
) as { definitions: Record<string, Schema> };

/** Fields the kpack OpenAPI definition does not have (it allows anything unnamed, so look by name). */
function unknownFields(value: unknown, schema: Schema | undefined, path: string, out: string[]) {
  if (!schema || value === null || typeof value !== "object") return;
  const ref = schema.$ref as string | undefined;
  if (ref) return unknownFields(value, swagger.definitions[ref.split("/").pop()!], path, out);
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, schema.items as Schema, `${path}[${i}]`, out));
    return;
  }
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props) return; // a map (labels, annotations) or free-form
  for (const [k, v] of Object.entries(value)) {
    if (path === "" && k === "metadata") continue;
    if (!props[k]) out.push(`${path}${path ? "." : ""}${k}`);
    else unknownFields(v, props[k], `${path}${path ? "." : ""}${k}`, out);
  }
}

describe("object shapes", () => {
  it("validates every object the simulator emits against the real schemas", async () => {
    const sim = await startTestSimulator({
      seed: 4,
      apps: ["payments", "storefront", { name: "search", gate: "approvaltask" }],
      onlyCommits: 6,
      decideGates: "approve",
      timeScale: 0.04,
      durations: { gateDecision: 40_000 },
      rates: {
        build: 0.2,
        rebuild: 0.5,
        scanCritical: 0.5,
        test: 0.3,
        degraded: 0.2,
        syncFailure: 0.2,
      },
    });
    try {
      await sim.player.done;
      // A pending run cancelled before it starts, and production runs that time out at their gates.
      const staging = sim.clusters.staging;
      const template = await waitFor(
        () =>
          staging.list("pipelineruns.tekton.dev", {
            namespace: "ci",
            labelSelector: "tekton.dev/pipeline=promote",
          }).items[0],
        "a staging promote run",
        20_000,
      );
      const spec = template.spec as { params: Array<{ name: string; value: unknown }> };
      staging.create({
        ...template,
        metadata: { name: "held", namespace: "ci", labels: template.metadata.labels },
        spec: { ...spec, status: "PipelineRunPending" },
      });
      staging.patch("pipelineruns.tekton.dev", "ci", "held", "merge", {
        spec: { status: "Cancelled" },
      });
      for (const pipeline of ["promote-production", "promote-production-approvaltask"]) {
        sim.clusters.production.create({
          ...template,
          metadata: {
            name: `${pipeline}-slow`,
            namespace: "ci",
            labels: {
              ...template.metadata.labels,
              "tekton.dev/pipeline": pipeline,
              "shiplog.dev/environment": "production",
            },
          },
          spec: {
            ...spec,
            pipelineRef: { name: pipeline },
            params: [
              ...spec.params.map((p) =>
                p.name === "environment" ? { ...p, value: "production" } : p,
              ),
              { name: "approvers", value: ["alice", "group:release-managers"] },
            ],
          },
        });
      }
      for (const name of ["promote-production-slow", "promote-production-approvaltask-slow"]) {
        // Once it waits at its gate, cut its timeout short: it times out there.
        await waitFor(
          () => sim.clusters.production.get("customruns.tekton.dev", "ci", `${name}-approve`),
          `${name} at its gate`,
          10_000,
        );
        sim.clusters.production.patch("pipelineruns.tekton.dev", "ci", name, "merge", {
          spec: { timeouts: { pipeline: "1ms" } },
        });
        await waitFor(
          () => {
            const st = (sim.clusters.production.get("pipelineruns.tekton.dev", "ci", name).status ??
              {}) as { conditions?: Array<{ reason: string }> };
            return st.conditions?.[0]?.reason === "PipelineRunTimeout";
          },
          `${name} to time out`,
          10_000,
        );
      }
      await waitFor(
        () =>
          sim
            .truth()
            .commits.every(
              (c) =>
                c.pipelineRuns.every((p) => !["pending", "running"].includes(p.status)) &&
                c.builds.every((b) => b.status !== "running"),
            ),
        "the scenario to settle",
        30_000,
      );

      const kinds = new Map<string, number>();
      const problems: string[] = [];
      for (const [cluster, store] of Object.entries(sim.clusters)) {
        for (const type of store.registry.types) {
          if (type.kind === "CustomResourceDefinition" || type.kind === "Namespace") continue;
          for (const obj of store.list(type).items) {
            kinds.set(`${cluster}/${type.kind}`, (kinds.get(`${cluster}/${type.kind}`) ?? 0) + 1);
            const where = `${cluster} ${type.kind} ${obj.metadata.namespace}/${obj.metadata.name}`;
            if (type.schema) {
              for (const c of validateAgainstSchema(type.schema, structuredClone(obj)))
                problems.push(`${where}: ${c.field} ${c.message}`);
            }
            if (type.group === "kpack.io") {
              const found: string[] = [];
              unknownFields(
                obj,
                swagger.definitions[`kpack.build.v1alpha2.${type.kind}`],
                "",
                found,
              );
              for (const f of found) problems.push(`${where}: ${f} is not in kpack's OpenAPI`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
      expect(pruned).toEqual([]);
      // Every kind the simulator emits was there to check.
      for (const k of [
        "staging/Image",
        "staging/Build",
        "staging/Pod",
        "staging/PipelineRun",
        "staging/TaskRun",
        "staging/Application",
        "staging/Pipeline",
        "staging/Task",
        "production/PipelineRun",
        "production/TaskRun",
        "production/CustomRun",
        "production/ApprovalTask",
        "production/Application",
        "production/Pod",
      ]) {
        expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
      }
    } finally {
      await sim.close();
    }
  });
});
