import { describe, expect, it } from "vitest";
import { schemaErrors } from "@/test/openapi-schema";
import { assembleRunDetail } from "./assemble";
import { NOW, failedBuild, failedPipelineRun, failedTaskRun, rowOf } from "@/test/runs";

const validate = (data: unknown) => schemaErrors("RunDetail", data);

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
