import { describe, expect, it } from "vitest";
import type { TimelineStage } from "@/lib/timeline/types";
import { gateContext } from "./gate-context";

let seq = 0;
function stage(
  kind: TimelineStage["stage"],
  details: Record<string, unknown>,
  extra: Partial<TimelineStage> = {},
): TimelineStage {
  seq += 1;
  return {
    id: `s${seq}`,
    stage: kind,
    status: "succeeded",
    title: `${kind} ${seq}`,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    environment: null,
    cluster: null,
    resource: null,
    url: null,
    linkedBy: null,
    details: details as TimelineStage["details"],
    reason: null,
    message: null,
    attempt: 1,
    attempts: 1,
    latest: true,
    rerunOf: null,
    deleted: false,
    ...extra,
  };
}

const DIGEST = `sha256:${"a".repeat(64)}`;
const counts = { critical: 0, high: 2, medium: 5, low: 9, unknown: 0 };

describe("gateContext", () => {
  const approval = stage(
    "approval",
    { gateId: "g-1", customRun: "promote-x1-approve", decisions: [] },
    { environment: "production", status: "waiting" },
  );
  const stages = [
    stage("build", { digest: `sha256:${"b".repeat(64)}`, image: "harbor/apps/payments" }),
    stage("image", { repository: "apps/payments", digest: DIGEST }),
    stage("scan", { scanner: "Trivy", severity: "High", counts }),
    stage(
      "pipeline",
      { pipeline: "promote", tasks: [{ name: "parse", status: "succeeded", runName: "p-1" }] },
      { environment: "staging" },
    ),
    stage(
      "pipeline",
      {
        pipeline: "promote-production",
        tasks: [
          { name: "parse", status: "succeeded", runName: "p-2" },
          { name: "approve", status: "waiting", runName: "promote-x1-approve" },
        ],
      },
      { environment: "production" },
    ),
    stage("deploy", { revision: "1111111" }, { environment: "staging" }),
    approval,
  ];

  it("takes the image digest, the scan and the pipeline that runs the gate", () => {
    const context = gateContext(stages, approval);
    expect(context.image).toEqual({ repository: "apps/payments", digest: DIGEST });
    expect(context.scan).toEqual({
      status: "succeeded",
      scanner: "Trivy",
      severity: "High",
      counts,
    });
    expect(context.pipeline?.name).toBe("promote-production");
    expect(context.pipeline?.tasks.map((t) => t.name)).toEqual(["parse", "approve"]);
  });

  it("has no manifests revision for the environment until its deploy follows one", () => {
    expect(gateContext(stages, approval).manifestsRevision).toBeNull();
    const deployed = [
      ...stages,
      stage("deploy", { revision: "2222222" }, { environment: "production" }),
    ];
    expect(gateContext(deployed, approval).manifestsRevision).toBe("2222222");
  });

  it("falls back to the build's digest, and skips earlier attempts", () => {
    const build = stage("build", { digest: DIGEST, image: "harbor/apps/payments" });
    const old = stage("scan", { counts }, { latest: false });
    const context = gateContext([build, old, approval], approval);
    expect(context.image).toEqual({ repository: "harbor/apps/payments", digest: DIGEST });
    expect(context.scan).toBeNull();
    expect(context.pipeline).toBeNull();
  });
});
