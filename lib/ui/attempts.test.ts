import { describe, expect, it } from "vitest";
import { groupAttempts, type AttemptLike } from "./attempts";

function stage(id: string, extra: Partial<AttemptLike>): AttemptLike {
  return {
    id,
    stage: "build",
    environment: null,
    attempt: 1,
    attempts: 1,
    latest: true,
    title: id,
    resource: { kind: "Build" },
    ...extra,
  };
}

describe("groupAttempts", () => {
  it("groups re-runs of one stage, newest attempt first, in timeline order", () => {
    const groups = groupAttempts([
      stage("source", { stage: "source", resource: null }),
      stage("b1", { attempt: 1, attempts: 2, latest: false }),
      stage("img", { stage: "image", resource: { kind: "Artifact" } }),
      stage("b2", { attempt: 2, attempts: 2, latest: true }),
    ]);
    expect(groups.map((g) => [g.current.id, g.earlier.map((s) => s.id)])).toEqual([
      ["source", []],
      ["b2", ["b1"]],
      ["img", []],
    ]);
  });

  it("keeps environments apart and splits two chains of the same length", () => {
    const groups = groupAttempts([
      stage("s1", {
        stage: "deploy",
        environment: "staging",
        attempt: 1,
        attempts: 2,
        latest: false,
        resource: { kind: "Application" },
      }),
      stage("p1", {
        stage: "deploy",
        environment: "production",
        attempt: 1,
        attempts: 2,
        latest: false,
        resource: { kind: "Application" },
      }),
      stage("s2", {
        stage: "deploy",
        environment: "staging",
        attempt: 2,
        attempts: 2,
        resource: { kind: "Application" },
      }),
      stage("p2", {
        stage: "deploy",
        environment: "production",
        attempt: 2,
        attempts: 2,
        resource: { kind: "Application" },
      }),
      stage("x1", { attempt: 1, attempts: 2, latest: false }),
      stage("y1", { attempt: 1, attempts: 2, latest: false }),
      stage("x2", { attempt: 2, attempts: 2 }),
      stage("y2", { attempt: 2, attempts: 2 }),
    ]);
    expect(groups.map((g) => [g.current.id, g.earlier.map((s) => s.id)])).toEqual([
      ["s2", ["s1"]],
      ["p2", ["p1"]],
      ["x2", ["x1"]],
      ["y2", ["y1"]],
    ]);
  });

  it("keeps an entry's key when a re-run adds an attempt, and keys entries apart", () => {
    const keys = (stages: AttemptLike[]) => groupAttempts(stages).map((g) => [g.current.id, g.key]);
    const deploy = { stage: "deploy", environment: "staging", resource: { kind: "Application" } };
    const before = keys([
      stage("b1", {}),
      stage("pr1", { stage: "pipeline", resource: { kind: "PipelineRun" } }),
      stage("d", deploy),
    ]);
    // A re-run PipelineRun, a rebuild and a re-sync whose history entry takes the deploy's id.
    const after = keys([
      stage("b1", { attempts: 2, latest: false }),
      stage("b2", { attempt: 2, attempts: 2 }),
      stage("pr1", {
        stage: "pipeline",
        resource: { kind: "PipelineRun" },
        attempts: 2,
        latest: false,
      }),
      stage("pr2", {
        stage: "pipeline",
        resource: { kind: "PipelineRun" },
        attempt: 2,
        attempts: 2,
      }),
      stage("d-sync-1", { ...deploy, attempts: 2, latest: false }),
      stage("d", { ...deploy, attempt: 2, attempts: 2 }),
    ]);
    expect(after.map(([, key]) => key)).toEqual(before.map(([, key]) => key));
    expect(after.map(([id]) => id)).toEqual(["b2", "pr2", "d"]);
    const two = keys([stage("x", {}), stage("y", {})]).map(([, key]) => key);
    expect(new Set(two).size).toBe(2);
  });
});
