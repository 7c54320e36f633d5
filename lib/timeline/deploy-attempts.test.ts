// Argo CD's sync history as attempts of a deploy: every earlier successful sync of the same
// revision (a re-sync, a self-heal) is an attempt; the Application's own operation is the latest.
import { describe, expect, it } from "vitest";
import { normalizeApplication } from "@/lib/sources/argocd";
import { loadYaml, one } from "@/test/reference-fixtures";
import { assembleTimeline } from "./assemble";
import { NOW, resourceRow, scenario } from "@/test/timeline-rows";
import type { TimelineInput } from "./types";

/** The scenario's commit with the real Application as its only deploy: history and all. */
function withRealApplication(): TimelineInput {
  const input = scenario();
  const app = loadYaml("argocd/testdata-application-full-status.yaml");
  const row = resourceRow(90, one(normalizeApplication(app)), app, "staging", {
    environment: "staging",
  });
  return {
    ...input,
    resources: [...input.resources.filter((r) => r.kind !== "Application"), row],
    links: [...input.links, { toType: "resource", toId: 90n, rule: "label", evidence: null }],
  };
}

describe("deploy attempts from Argo CD's history", () => {
  it("makes each earlier sync of the revision an attempt, the current operation the latest", () => {
    const t = assembleTimeline(withRealApplication(), NOW);
    const deploys = t.stages.filter((s) => s.stage === "deploy");
    // Ten history entries of this revision; the last is the current operation (07:33:03).
    expect(deploys).toHaveLength(10);
    expect(deploys.every((d) => d.attempts === 10)).toBe(true);
    const latest = deploys.find((d) => d.latest);
    expect(latest).toMatchObject({
      id: "resource-90",
      attempt: 10,
      startedAt: "2024-03-05T07:33:03.000Z",
      details: { initiatedBy: "foo@example.com" },
    });
    const first = deploys.find((d) => d.attempt === 1);
    expect(first).toMatchObject({
      id: "resource-90-sync-14",
      status: "succeeded",
      startedAt: "2024-03-04T22:00:05.000Z",
      finishedAt: "2024-03-04T22:00:06.000Z",
      details: { revision: "ea8759964626a583667a2bfd08f334ec2070040a", syncStatus: "Synced" },
    });
    const starts = deploys.sort((a, b) => a.attempt - b.attempt).map((d) => d.startedAt as string);
    expect([...starts].sort()).toEqual(starts);
  });

  it("counts no attempt for history of another revision", () => {
    const input = withRealApplication();
    const row = input.resources.find((r) => r.id === 90n)!;
    const obj = structuredClone(row.object) as { status: { history: { revision: string }[] } };
    for (const h of obj.status.history) h.revision = "0".repeat(40);
    const changed = resourceRow(90, one(normalizeApplication(obj)), obj, "staging", {
      environment: "staging",
    });
    const t = assembleTimeline(
      { ...input, resources: input.resources.map((r) => (r.id === 90n ? changed : r)) },
      NOW,
    );
    expect(t.stages.filter((s) => s.stage === "deploy")).toHaveLength(1);
  });
});
