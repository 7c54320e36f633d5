// Contract: the real kubectl (v1.32) works against the simulator with its kubeconfig, through the path prefix.
import { execFile, spawn } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestSim, startTestSim, waitFor } from "./test-support";

const KUBECTL = process.env.KUBECTL ?? "kubectl";
let sim: TestSim;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function env() {
  return { ...process.env, KUBECONFIG: sim.kubeconfig, HOME: sim.tmp };
}

function kubectl(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ["--cache-dir", path.join(sim.tmp, "cache"), ...args],
      { env: env(), timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  expect(r.code, `kubectl ${args.join(" ")}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  sim = await startTestSim();
});

afterAll(async () => {
  await sim?.close();
});

describe("kubectl against the simulator", () => {
  it("knows the server and lists pipelineruns across namespaces (server-side printing)", async () => {
    expect(await ok("version")).toMatch(/Server Version: v1\.32\.0-shiplog-sim/);
    sim.api.clusters.staging.create({
      apiVersion: "tekton.dev/v1",
      kind: "PipelineRun",
      metadata: { name: "release-42", namespace: "ci" },
      spec: { pipelineRef: { name: "release" } },
    });
    sim.api.clusters.staging.patchStatus("pipelineruns", "ci", "release-42", {
      status: {
        conditions: [{ type: "Succeeded", status: "True", reason: "Succeeded" }],
        startTime: new Date().toISOString().replace(/\.\d+Z/, "Z"),
      },
    });
    const out = await ok("get", "pipelineruns.tekton.dev", "-A");
    expect(out).toMatch(/NAMESPACE\s+NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME/);
    expect(out).toMatch(/ci\s+release-42\s+True\s+Succeeded\s+\d+s/);
    expect(await ok("api-resources", "--api-group=tekton.dev", "-o", "name")).toContain(
      "pipelineruns.tekton.dev",
    );
    expect(await ok("get", "pr", "-n", "ci", "-o", "name")).toBe(
      "pipelinerun.tekton.dev/release-42\n",
    );
  });

  it("get -w sees an ADDED and then a change", async () => {
    const child = spawn(
      KUBECTL,
      ["--cache-dir", path.join(sim.tmp, "cache"), "get", "builds.kpack.io", "-n", "kpack", "-w"],
      { env: env() },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => sim.api.faults.state().openWatches > 0, "kubectl watch to start", 10_000);
      const store = sim.api.clusters.staging;
      store.create({
        apiVersion: "kpack.io/v1alpha2",
        kind: "Build",
        metadata: { name: "app-build-1", namespace: "kpack" },
        spec: { tags: ["reg.local/app"] },
      });
      await waitFor(() => /app-build-1\s/.test(out), "ADDED row");
      store.patchStatus("builds.kpack.io", "kpack", "app-build-1", {
        status: {
          latestImage: "reg.local/app@sha256:0123abcd",
          conditions: [{ type: "Succeeded", status: "True" }],
        },
      });
      await waitFor(
        () => /app-build-1\s+reg\.local\/app@sha256:0123abcd\s+True/.test(out),
        "MODIFIED row",
      );
    } finally {
      child.kill();
    }
    expect(out.match(/app-build-1/g)?.length).toBe(2);
  });

  it("apply -f the Tekton example: created, then unchanged, then configured (JSON merge patch)", async () => {
    const file = path.join(sim.tmp, "pipelinerun-results.yaml");
    copyFileSync(
      path.join(import.meta.dirname, "testdata", "example-pipelinerun-results.yaml"),
      file,
    );
    const first = await ok("apply", "-f", file);
    expect(first).toContain("task.tekton.dev/add-task created");
    expect(first).toContain("pipeline.tekton.dev/sum-three-pipeline created");
    expect(first).toContain("pipelinerun.tekton.dev/sum-three-pipeline-run created");
    const second = await ok("apply", "-f", file);
    expect(second.match(/unchanged/g)?.length).toBe(3);
    writeFileSync(file, readFileSync(file, "utf8").replace('value: "2"', 'value: "5"'));
    const third = await ok("apply", "-f", file);
    expect(third).toContain("pipelinerun.tekton.dev/sum-three-pipeline-run configured");
    const pr = sim.api.clusters.staging.get(
      "pipelineruns.tekton.dev",
      "default",
      "sum-three-pipeline-run",
    );
    expect((pr.spec as { params: { value: string }[] }).params[0].value).toBe("5");
    expect(pr.metadata.generation).toBe(2);
    const patch = sim.api.writes.entries({ verb: "patch", kind: "PipelineRun" }).at(-1);
    expect(patch?.patchType).toBe("merge");
  });

  it("apply -f a Pod twice: kubectl sends a strategic merge patch that merges containers by name", async () => {
    const file = path.join(sim.tmp, "pod.yaml");
    const pod = (image: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  containers:\n  - name: app\n    image: ${image}\n    command: ["serve"]\n  - name: sidecar\n    image: envoy\n`;
    writeFileSync(file, pod("web:1"));
    expect(await ok("apply", "-f", file)).toContain("pod/web created");
    writeFileSync(file, pod("web:2"));
    expect(await ok("apply", "-f", file)).toContain("pod/web configured");
    expect(sim.api.writes.entries({ verb: "patch", name: "web" }).at(-1)?.patchType).toBe(
      "strategic",
    );
    const stored = sim.api.clusters.staging.get("pods", "apps", "web");
    expect((stored.spec as { containers: unknown[] }).containers).toEqual([
      { name: "app", image: "web:2", command: ["serve"] },
      { name: "sidecar", image: "envoy" },
    ]);
  });

  it("create -f with generateName, patch --subresource=status, delete", async () => {
    const file = path.join(sim.tmp, "customrun.yaml");
    writeFileSync(
      file,
      "apiVersion: tekton.dev/v1beta1\nkind: CustomRun\nmetadata:\n  generateName: approve-\n  namespace: ci\nspec:\n  customRef:\n    apiVersion: shiplog.dev/v1alpha1\n    kind: Approval\n",
    );
    const created = await ok("create", "-f", file);
    const name = /customrun\.tekton\.dev\/(approve-[a-z0-9]{5}) created/.exec(created)?.[1];
    expect(name, created).toBeDefined();
    const status = {
      status: { conditions: [{ type: "Succeeded", status: "True", reason: "Approved" }] },
    };
    expect(
      await ok(
        "patch",
        "customrun",
        name!,
        "-n",
        "ci",
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify(status),
      ),
    ).toContain("patched");
    const got = JSON.parse(await ok("get", "customrun", name!, "-n", "ci", "-o", "json")) as {
      status: unknown;
      metadata: { generation: number };
    };
    expect(got.status).toEqual(status.status);
    expect(got.metadata.generation).toBe(1);
    const smp = await kubectl(
      "patch",
      "customrun",
      name!,
      "-n",
      "ci",
      "--type=strategic",
      "-p",
      '{"spec":{"timeout":"1h"}}',
    );
    expect(smp.code).not.toBe(0);
    expect(smp.stderr).toMatch(/unknown format|not supported/);
    expect(await ok("delete", "customrun", name!, "-n", "ci")).toContain(
      `customrun.tekton.dev "${name}" deleted`,
    );
    expect((await kubectl("get", "customrun", name!, "-n", "ci")).stderr).toMatch(
      /NotFound|not found/,
    );
  });

  it("logs POD -c step-x returns the stored log", async () => {
    const store = sim.api.clusters.staging;
    store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "release-42-build-pod", namespace: "ci" },
      spec: {
        containers: [
          { name: "step-build", image: "builder" },
          { name: "step-push", image: "crane" },
        ],
      },
    });
    store.setPodLog("ci", "release-42-build-pod", "step-build", "compiling\nok\n");
    store.setPodLog("ci", "release-42-build-pod", "step-push", "pushed sha256:abc\n");
    expect(await ok("logs", "release-42-build-pod", "-n", "ci", "-c", "step-push")).toBe(
      "pushed sha256:abc\n",
    );
    expect(
      await ok("logs", "release-42-build-pod", "-n", "ci", "-c", "step-build", "--tail=1"),
    ).toBe("ok\n");
    const wrong = await kubectl("logs", "release-42-build-pod", "-n", "ci", "-c", "step-nope");
    expect(wrong.stderr).toMatch(/container step-nope is not valid/);

    // -f streams appended output and ends when the pod finishes
    const child = spawn(
      KUBECTL,
      [
        "--cache-dir",
        path.join(sim.tmp, "cache"),
        "logs",
        "-f",
        "release-42-build-pod",
        "-n",
        "ci",
        "-c",
        "step-build",
      ],
      { env: env() },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await waitFor(() => out === "compiling\nok\n", "existing log");
    store.appendPodLog("ci", "release-42-build-pod", "step-build", "uploading\n");
    await waitFor(() => out.endsWith("uploading\n"), "followed chunk");
    store.patchStatus("pods", "ci", "release-42-build-pod", { status: { phase: "Succeeded" } });
    expect(await exited).toBe(0);
  });

  it("--context production is a separate cluster", async () => {
    expect(
      (await kubectl("--context", "production", "get", "pipelineruns.tekton.dev", "-A")).stderr,
    ).toMatch(/No resources found/);
    const file = path.join(sim.tmp, "app.yaml");
    copyFileSync(path.join(import.meta.dirname, "testdata", "sample-build.yaml"), file);
    expect(await ok("--context", "production", "apply", "-n", "apps", "-f", file)).toContain(
      "build.kpack.io/sample created",
    );
    expect(sim.api.clusters.production.get("builds.kpack.io", "apps", "sample").metadata.name).toBe(
      "sample",
    );
    expect((await kubectl("get", "builds.kpack.io", "sample", "-n", "apps")).code).not.toBe(0);
    expect(Number(sim.api.clusters.production.resourceVersion())).toBeLessThan(
      Number(sim.api.clusters.staging.resourceVersion()),
    );
  });

  it("records kubectl --as / --as-group impersonation in the write log", async () => {
    await ok(
      "--as",
      "alice",
      "--as-group",
      "approvers",
      "--as-group",
      "release-managers",
      "label",
      "pipelinerun",
      "release-42",
      "-n",
      "ci",
      "approved-by=alice",
    );
    const entry = sim.api.writes.entries({ verb: "patch", name: "release-42" }).at(-1);
    expect(entry).toMatchObject({
      user: "alice",
      groups: ["approvers", "release-managers"],
      impersonatedBy: "shiplog",
      kind: "PipelineRun",
      code: 200,
    });
  });
});
