import { describe, expect, it } from "vitest";
import { confirmQuestion, doneText, rerunActionsFor } from "./rerun-actions";

const resource = (system: string, kind: string) => ({ system, kind, namespace: "ci", name: "x1" });

describe("rerunActionsFor", () => {
  it("offers the action each system's kind allows", () => {
    expect(
      rerunActionsFor(resource("tekton", "PipelineRun"), "staging")?.actions.map((a) => a.label),
    ).toEqual(["Re-run"]);
    expect(
      rerunActionsFor(resource("kpack", "Build"), "staging")?.actions.map((a) => a.operation),
    ).toEqual(["rebuild"]);
    expect(
      rerunActionsFor(resource("kpack", "Image"), "staging")?.actions.map((a) => a.label),
    ).toEqual(["Rebuild"]);
    expect(
      rerunActionsFor(resource("argocd", "Application"), "production")?.actions.map((a) => a.label),
    ).toEqual(["Sync", "Hard refresh"]);
  });

  it("names the target as the reruns API wants it", () => {
    expect(rerunActionsFor(resource("tekton", "PipelineRun"), "staging")?.target).toEqual({
      system: "tekton",
      cluster: "staging",
      namespace: "ci",
      kind: "PipelineRun",
      name: "x1",
    });
  });

  it("offers nothing for other kinds, no resource or no cluster", () => {
    expect(rerunActionsFor(resource("tekton", "CustomRun"), "staging")).toBeNull();
    expect(rerunActionsFor(resource("harbor", "Artifact"), "staging")).toBeNull();
    expect(rerunActionsFor(null, "staging")).toBeNull();
    expect(rerunActionsFor(resource("tekton", "PipelineRun"), null)).toBeNull();
  });
});

describe("confirmQuestion", () => {
  it("says what will happen to what, where", () => {
    const found = rerunActionsFor(resource("argocd", "Application"), "production")!;
    expect(confirmQuestion(found.actions[0], found.target)).toBe(
      "Sync Application ci/x1 in production?",
    );
    expect(confirmQuestion(found.actions[1], found.target)).toMatch(
      /^Hard-refresh Application ci\/x1 in production\? /,
    );
  });
});

describe("doneText", () => {
  it("says a held re-run waits for approval, and what each other action did", () => {
    expect(
      doneText("rerun", { kind: "PipelineRun", name: "x1-r-abcde", heldForApproval: true }),
    ).toBe("Re-run created: it waits for approval to start, at a new gate");
    expect(doneText("rerun", { kind: "PipelineRun", name: "x1-r-abcde" })).toBe("Re-run started");
    expect(doneText("rerun", null)).toBe("Re-run started");
    expect(doneText("rebuild", { heldForApproval: true })).toBe("Rebuild requested");
    expect(doneText("sync", null)).toBe("Sync started");
    expect(doneText("hard-refresh", null)).toBe("Hard refresh requested");
  });
});
