// Extra /_sim/ routes (KubeApi.addControl): how the scenario serves its ground truth.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw, startTestSim, type TestSim } from "./test-support";

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(() => sim?.close());

describe("addControl", () => {
  it("serves GET <path> with the handler's JSON, without auth, added after start", async () => {
    let calls = 0;
    sim.api.addControl("/_sim/truth", (_req, url) => ({
      calls: ++calls,
      q: url.searchParams.get("q"),
    }));
    const res = await raw(sim.api, "GET", "/_sim/truth?q=1", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toEqual({ calls: 1, q: "1" });
    expect((await raw(sim.api, "GET", "/_sim/truth")).json).toEqual({ calls: 2, q: null });
  });

  it("answers other methods 405 and unknown controls 404 naming the routes", async () => {
    expect((await raw(sim.api, "POST", "/_sim/truth", { body: {} })).status).toBe(405);
    const missing = await raw(sim.api, "GET", "/_sim/nope");
    expect(missing.status).toBe(404);
    expect((missing.json as { message: string }).message).toContain("GET /_sim/truth");
  });

  it("keeps the built-in controls and the /_sim/ prefix", () => {
    expect(() => sim.api.addControl("/truth", () => ({}))).toThrow(/under \/_sim\//);
    expect(() => sim.api.addControl("/_sim/faults", () => ({}))).toThrow(/taken/);
  });
});
