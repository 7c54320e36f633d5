import { describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { openApiDocument } from "@/lib/openapi";
import { assembleRunDetail } from "./assemble";
import { NOW, failedBuild, failedPipelineRun, failedTaskRun, rowOf } from "./test-runs";

function validate(data: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(openApiDocument, "openapi.json");
  const check = ajv.getSchema("openapi.json#/components/schemas/RunDetail");
  if (!check) throw new Error("no RunDetail schema");
  return check(data) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("RunDetail in the OpenAPI document", () => {
  it("describes what the run endpoint returns, for a PipelineRun and a Build", () => {
    const options = { now: NOW, podLogs: true };
    const pipeline = assembleRunDetail(
      {
        run: rowOf(failedPipelineRun()),
        children: [rowOf(failedTaskRun())],
        commit: { app: "payments", sha: "ab".repeat(20) },
        storedLogs: [],
      },
      options,
    );
    const build = assembleRunDetail(
      { run: rowOf(failedBuild()), children: [], commit: null, storedLogs: [] },
      options,
    );
    expect(validate(pipeline)).toEqual([]);
    expect(validate(build)).toEqual([]);
    expect(validate({ ...build, live: "yes" })).toEqual(["/live must be boolean"]);
  });
});
