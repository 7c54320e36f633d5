// Same seed, same story: two simulators playing seed 21 side by side make the same commits,
// Builds, digests, PipelineRun names, gates and manifests commits (and another seed does not).
import { describe, expect, it } from "vitest";
import type { Truth } from "./index";
import { startTestSimulator, waitFor, type TestSimulator } from "./test-support";

const isFinal = (s: string) => !["pending", "running"].includes(s);

/** Everything a seed decides (no timestamps, no uids, no staging sync revisions: Argo CD syncs the branch head). */
function signature(sim: TestSimulator) {
  const t: Truth = sim.truth();
  return {
    commits: t.commits.map((c) => ({
      app: c.app,
      sha: c.sha,
      title: c.title,
      author: c.author,
      builds: c.builds.map((b) => [b.name, b.reason, b.status, b.digest]),
      artifacts: c.artifacts.map((a) => [a.digest, a.scan.status, a.scan.counts]),
      pipelineRuns: c.pipelineRuns.map((p) => [p.cluster, p.name, p.stage, p.status]),
      gates: c.gates.map((g) => [g.name, g.kind, g.status]),
      deploys: c.deploys
        .filter((d) => d.environment === "production")
        .map((d) => [d.application, d.revision, d.status, d.health]),
    })),
    manifests: [...sim.ledger.manifests.keys()].sort(),
  };
}

function settled(sim: TestSimulator): boolean {
  return sim
    .truth()
    .commits.every(
      (c) =>
        c.builds.every((b) => isFinal(b.status)) &&
        c.pipelineRuns.every((p) => isFinal(p.status)) &&
        c.artifacts.every((a) => isFinal(a.scan.status)) &&
        c.deploys.every((d) => isFinal(d.status)),
    );
}

async function play(seed: number) {
  const sim = await startTestSimulator({
    seed,
    onlyCommits: 6,
    decideGates: "approve",
    timeScale: 0.04,
    rates: { build: 0.2, test: 0.25, rebuild: 0.3 },
  });
  try {
    await sim.player.done;
    let last = "";
    let stable = 0;
    await waitFor(
      () => {
        const now = JSON.stringify(signature(sim));
        stable = now === last && settled(sim) ? stable + 1 : 0;
        last = now;
        return stable >= 6;
      },
      `seed ${seed} to settle`,
      30_000,
    );
    return signature(sim);
  } finally {
    await sim.close();
  }
}

describe("determinism", () => {
  it("plays the same commits, digests and names for the same seed", async () => {
    const [a, b] = await Promise.all([play(21), play(21)]);
    expect(b).toEqual(a);
    const played = a.commits.filter((c) => !c.builds.some((x) => x[1] === "CONFIG"));
    expect(played).toHaveLength(6);
    expect(a.commits.flatMap((c) => c.pipelineRuns).length).toBeGreaterThan(6);
    for (const c of a.commits) expect(c.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("plays another story for another seed", async () => {
    const other = await startTestSimulator({ seed: 22, play: false });
    const same = await startTestSimulator({ seed: 21, play: false });
    try {
      const shas = (s: TestSimulator) => s.truth().commits.map((c) => c.sha);
      expect(shas(other)).not.toEqual(shas(same));
      expect(other.commit("payments").sha).not.toBe(same.commit("payments").sha);
    } finally {
      await other.close();
      await same.close();
    }
  });
});
