import { describe, expect, it } from "vitest";
import { normalizeCustomRun, normalizePipelineRun } from "@/lib/sources/tekton";
import { loadYaml, one } from "@/test/reference-fixtures";
import { assembleTimeline, summarizeRows } from "./assemble";
import { NOW, pipelineRun, resourceRow, scenario } from "@/test/timeline-rows";
import type { TimelineInput, TimelineStage } from "./types";

const BASES = {
  tektonDashboard: "https://tekton.example.com",
  argocd: "https://argocd.example.com/",
  harbor: "https://harbor.example.com",
};

const byId = (stages: TimelineStage[], id: string) => {
  const s = stages.find((x) => x.id === id);
  if (!s) throw new Error(`no stage ${id}`);
  return s;
};

describe("assembleTimeline: variations", () => {
  it("an approved gate: the CustomRun's outcome and time, the ApprovalTask's decisions", () => {
    const t = assembleTimeline(scenario("approved"), NOW);
    const a = byId(t.stages, "resource-7");
    expect(a).toMatchObject({
      status: "succeeded",
      finishedAt: "2024-05-06T10:25:00.000Z",
      durationMs: 8 * 60_000,
      url: null,
    });
    expect(a.details).toMatchObject({
      approvalsReceived: 2,
      decisions: [
        { user: "alice", decision: "approve", comment: "Code looks good", at: null },
        {
          user: "security-lead",
          decision: "approve",
          comment: "No security issues found",
          at: null,
        },
      ],
    });
    expect(t.stageStatuses["approval:production"]).toBe("succeeded");
    expect(t.status).toBe("running"); // the release PipelineRun goes on
  });

  it("without base URLs there are no deep links but the forge's own commit URL", () => {
    const t = assembleTimeline(scenario(), NOW);
    expect(t.stages.filter((s) => s.url !== null).map((s) => s.id)).toEqual(["source"]);
  });

  it("is independent of row order: same ids, same order, same attempts", () => {
    const input = scenario();
    const reversed: TimelineInput = {
      ...input,
      resources: [...input.resources].reverse(),
      links: [...input.links].reverse(),
    };
    const a = assembleTimeline(input, NOW, BASES);
    expect(assembleTimeline(reversed, NOW, BASES)).toEqual(a);
  });

  it("a re-run PipelineRun is attempt 2 and names the run it re-runs", () => {
    const input = scenario();
    const again = pipelineRun("release-x7k2p-r1", "release", "2024-05-06T10:26:00Z", null);
    again.metadata.labels["shiplog.dev/rerun-of"] = "release-x7k2p";
    input.resources.push(resourceRow(11, one(normalizePipelineRun(again)), again, "ci"));
    const t = assembleTimeline(input, NOW);
    expect(byId(t.stages, "resource-4")).toMatchObject({ attempt: 1, attempts: 2, latest: false });
    expect(byId(t.stages, "resource-11")).toMatchObject({
      attempt: 2,
      latest: true,
      rerunOf: "release-x7k2p",
      linkedBy: "label shiplog.dev/commit", // no link row: the observation's own label says it
      durationMs: 4 * 60_000,
      details: { tasks: [{ name: "git-clone" }, { name: "build" }] },
    });
  });

  it("a pending production deploy without a start goes last", () => {
    const input = scenario();
    const pending = { ...input.resources[8], id: 12n, environment: "production" };
    pending.status = "pending";
    pending.startedAt = null;
    pending.finishedAt = null;
    input.resources.push(pending);
    const t = assembleTimeline(input, NOW);
    expect(t.stages.at(-1)).toMatchObject({
      id: "resource-12",
      environment: "production",
      durationMs: null,
      title: "Deploy payments-staging to production",
    });
    expect(t.stageStatuses["deploy:production"]).toBe("pending");
  });

  it("Shiplog's own gate (a CustomRun alone) keeps its gate id and mirrored decisions", () => {
    const cr = loadYaml("tekton/example-customrun.yaml");
    cr.metadata = {
      name: "release-x7k2p-approve",
      namespace: "ci",
      labels: { "tekton.dev/pipelineRun": "release-x7k2p", "shiplog.dev/environment": "staging" },
    };
    cr.spec.customRef = { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" };
    cr.spec.params = [
      { name: "approvers", value: ["alice"] },
      { name: "minApprovals", value: "1" },
    ];
    cr.status = {
      startTime: "2024-05-06T10:16:40Z",
      conditions: [{ type: "Succeeded", status: "Unknown", reason: "AwaitingApproval" }],
      extraFields: { gateId: "gate-1", decisions: [] },
    };
    const input = scenario();
    input.resources.push(resourceRow(13, one(normalizeCustomRun(cr)), cr, "ci"));
    const t = assembleTimeline(input, NOW);
    expect(byId(t.stages, "resource-13")).toMatchObject({
      stage: "approval",
      status: "waiting",
      reason: "AwaitingApproval",
      environment: "staging",
      resource: { kind: "CustomRun" },
      details: { gateId: "gate-1", minApprovals: 1, approvers: ["alice"], decisions: [] },
    });
    expect(t.stageStatuses["approval:staging"]).toBe("waiting");
  });

  it("an artifact never scanned has no scan stage; a failed scan is failed with no counts", () => {
    const input = scenario();
    const [art] = input.artifacts;
    input.artifacts = [
      { ...art, scanStatus: null, scanSummary: null, severity: null },
      {
        ...art,
        id: 2n,
        repository: "shop/payments/worker",
        scanStatus: "Error",
        severity: null,
        scanSummary: { type: "scan", counts: null, severity: null, scanner: null },
        scanner: null,
      },
    ];
    const t = assembleTimeline(input, NOW);
    expect(t.stages.filter((s) => s.stage === "scan").map((s) => [s.id, s.status])).toEqual([
      ["artifact-2-scan", "failed"],
    ]);
    // Harbor's own scan_status spelling is read too; without the scan's times, the push starts it.
    expect(byId(t.stages, "artifact-2-scan")).toMatchObject({
      startedAt: "2024-05-06T10:15:42.123Z",
      finishedAt: null,
      durationMs: null,
    });
    expect(byId(t.stages, "artifact-2-scan").details).toEqual({
      scanner: null,
      severity: null,
      counts: null,
      total: null,
      fixable: null,
    });
    expect(t.stageStatuses.scan).toBe("failed");
  });

  it("skips a row whose observation cannot be read, and a commit without push time has no source", () => {
    const input = scenario();
    input.resources[0] = { ...input.resources[0], observation: { broken: true } };
    input.commit = { ...input.commit, committedAt: null };
    const t = assembleTimeline(input, NOW);
    expect(t.stages.map((s) => s.id)).not.toContain("resource-1");
    expect(t.stages.map((s) => s.id)).not.toContain("source");
    expect(byId(t.stages, "resource-2")).toMatchObject({ attempt: 1, attempts: 1 });
  });

  it("a PipelineRun labelled into another stage keeps that stage", () => {
    const input = scenario();
    const pr = pipelineRun(
      "build-img-1",
      "buildah",
      "2024-05-06T10:13:00Z",
      "2024-05-06T10:14:00Z",
    );
    pr.metadata.labels["shiplog.dev/stage"] = "build";
    input.resources.push(resourceRow(14, one(normalizePipelineRun(pr)), pr, "ci"));
    const t = assembleTimeline(input, NOW);
    expect(byId(t.stages, "resource-14")).toMatchObject({
      stage: "build",
      title: "Build buildah",
      attempt: 1,
      attempts: 1,
      details: { pipeline: "buildah" },
    });
    // Its own group beside the kpack Image's builds: both are current.
    expect(byId(t.stages, "resource-2")).toMatchObject({ attempt: 2, latest: true });
  });
});

describe("summarizeRows", () => {
  it("gives the store exactly the timeline's status and stage map", () => {
    for (const state of ["pending", "approved"] as const) {
      const input = scenario(state);
      const t = assembleTimeline(input, NOW);
      expect(summarizeRows(input.resources, input.artifacts)).toEqual({
        status: t.status,
        stages: t.stageStatuses,
      });
    }
  });

  it("a cancelled pipeline cancels its gate even while the ApprovalTask still says pending", () => {
    const input = scenario();
    const cr = input.resources.find((r) => r.kind === "CustomRun")!;
    cr.status = "cancelled";
    cr.reason = "CustomRunCancelled";
    expect(summarizeRows(input.resources, input.artifacts).stages["approval:production"]).toBe(
      "cancelled",
    );
  });
});
