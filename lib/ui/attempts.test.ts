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
});
