import { describe, expect, it } from "vitest";
import { stageColumns } from "./stage-columns";

describe("stageColumns", () => {
  it("orders shared stages, then each environment's approval, deploy and verify", () => {
    const columns = stageColumns(
      ["staging", "production"],
      [
        { build: "succeeded", "deploy:staging": "succeeded", "approval:production": "waiting" },
        { build: "running" },
      ],
    );
    expect(columns.map((c) => c.key)).toEqual([
      "build",
      "image",
      "scan",
      "pipeline",
      "deploy:staging",
      "verify:staging",
      "approval:production",
      "deploy:production",
      "verify:production",
    ]);
    expect(columns.find((c) => c.key === "deploy:production")).toMatchObject({
      stage: "deploy",
      environment: "production",
      label: "deploy production",
    });
  });

  it("adds environments only commits name, and stages without an environment", () => {
    const columns = stageColumns(["staging"], [{ "deploy:qa": "failed", verify: "succeeded" }]);
    expect(columns.map((c) => c.key)).toEqual([
      "build",
      "image",
      "scan",
      "pipeline",
      "verify",
      "deploy:staging",
      "verify:staging",
      "deploy:qa",
      "verify:qa",
    ]);
  });
});
