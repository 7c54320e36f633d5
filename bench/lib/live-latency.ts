// The live path measured end to end: a kpack Build's status written in the simulated cluster, to
// the Releases page in Chromium showing that status in the commit's stage strip. Both clocks are
// this machine's (Date.now() in Node and in the page), so the two times compare directly.
import type { Page } from "@playwright/test";
import type { Simulator } from "../../sim";
import { recordStageChips, stageChips } from "../../test/stage-chips";

export interface Change {
  sha: string;
  status: string;
  at: number;
}

/** kpack's Succeeded condition as the API's build status. */
export function buildStatus(obj: { status?: { conditions?: { type: string; status: string }[] } }) {
  const c = obj.status?.conditions?.find((x) => x.type === "Succeeded");
  if (!c) return "pending";
  return c.status === "True" ? "succeeded" : c.status === "False" ? "failed" : "running";
}

/** Every change of a Build's status from now on, by the commit it builds. */
export function watchBuildWrites(sim: Simulator): { changes: Change[]; stop(): void } {
  const store = sim.clusters[sim.config.buildCluster];
  const changes: Change[] = [];
  const last = new Map<string, string>();
  let recording = false;
  const handle = store.watch({ apiVersion: "kpack.io/v1alpha2", kind: "Build" }, {}, (event) => {
    if (event.type !== "ADDED" && event.type !== "MODIFIED") return;
    const obj = event.object as {
      metadata: { name: string };
      spec?: { source?: { git?: { revision?: string } } };
    };
    const status = buildStatus(event.object as Parameters<typeof buildStatus>[0]);
    const name = obj.metadata.name;
    if (last.get(name) === status) return;
    last.set(name, status);
    const sha = obj.spec?.source?.git?.revision;
    if (recording && sha) changes.push({ sha, status, at: Date.now() });
  });
  recording = true; // what the watch replayed above is the state before the measurement
  return { changes, stop: () => handle.stop() };
}

// A second stream of the same events, only to time their arrival (the server's share).
const EVENT_RECORDER = `(() => {
  const events = [];
  window.__timelineEvents = events;
  new EventSource("/api/v1/events").addEventListener("timeline", (m) => {
    try {
      events.push({ sha: JSON.parse(m.data).sha, status: "", at: Date.now() });
    } catch (_) {}
  });
})()`;

/** Records in the page every status the build chip of any commit row shows, with the time. */
export async function recordBuildChips(page: Page): Promise<void> {
  await recordStageChips(page);
  await page.evaluate(EVENT_RECORDER);
}

export async function shownChanges(page: Page): Promise<Change[]> {
  return (await stageChips(page))
    .filter((change) => change.stage === "build")
    .map(({ sha, status, at }) => ({ sha, status, at }));
}

/** When each `timeline` event reached the page. */
export async function eventArrivals(page: Page): Promise<Change[]> {
  return (await page.evaluate("window.__timelineEvents")) as Change[];
}

/**
 * Each shown write split at the first `timeline` event of its commit after the write: the time
 * to the browser (watch, ingest, NOTIFY, SSE) and the time in the browser (refetch, render).
 */
export function splitLatencies(
  writes: Change[],
  shown: Change[],
  arrivals: Change[],
): { server: number[]; browser: number[] } {
  const server: number[] = [];
  const browser: number[] = [];
  for (const w of writes) {
    const hit = shown.find((s) => s.sha === w.sha && s.status === w.status && s.at >= w.at);
    const event = arrivals.find((e) => e.sha === w.sha && e.at >= w.at);
    if (!hit || !event || event.at > hit.at) continue;
    server.push(event.at - w.at);
    browser.push(hit.at - event.at);
  }
  return { server, browser };
}

/**
 * Each write's latency: the first time after it that the page showed that commit's build in that
 * status. A status the page never showed (superseded within one refresh) is counted as missed.
 */
export function matchLatencies(
  writes: Change[],
  shown: Change[],
): { latencies: number[]; missed: number } {
  const latencies: number[] = [];
  let missed = 0;
  for (const w of writes) {
    const hit = shown.find((s) => s.sha === w.sha && s.status === w.status && s.at >= w.at);
    if (hit) latencies.push(hit.at - w.at);
    else missed += 1;
  }
  return { latencies, missed };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
