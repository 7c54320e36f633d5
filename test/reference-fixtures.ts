// Test-only: loads the reference objects copied into test/fixtures/ (tests read only what the repository holds).
// Each call parses the file afresh, so a test may mutate what it gets.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import type { NormalizeResult } from "@/lib/sources/result";
import type { Observation } from "@/lib/sources/types";

const ROOT = path.resolve(import.meta.dirname, "fixtures");

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function fixtureText(rel: string): string {
  return readFileSync(path.join(ROOT, rel), "utf8");
}

export function loadJson(rel: string): Obj {
  return JSON.parse(fixtureText(rel)) as Obj;
}

export function loadYaml(rel: string): Obj {
  return parse(fixtureText(rel)) as Obj;
}

export function loadYamlDocs(rel: string): Obj[] {
  return parseAllDocuments(fixtureText(rel)).map((d) => d.toJS() as Obj);
}

/** The observations of a result that must have succeeded. */
export function all(r: NormalizeResult): Observation[] {
  if (!r.ok) throw r.error;
  return r.observations;
}

/** The single observation of a result that must have succeeded with exactly one. */
export function one(r: NormalizeResult): Observation {
  const list = all(r);
  if (list.length !== 1) throw new Error(`expected one observation, got ${list.length}`);
  return list[0];
}

/** The chains testdata PipelineRun has no metadata (stripped upstream); add what a cluster has. */
export function pipelineRunFixture(): Obj {
  const pr = loadJson("tekton/testdata-pipelinerun-v1-status-childrefs.json");
  pr.apiVersion = "tekton.dev/v1";
  pr.kind = "PipelineRun";
  pr.metadata = {
    name: "test-pipeline-run-x7k2p",
    namespace: "ci",
    uid: "6c1f2d3e-0000-4000-8000-000000000001",
    resourceVersion: "991",
    labels: { "tekton.dev/pipeline": "test-pipeline" },
  };
  return pr;
}
