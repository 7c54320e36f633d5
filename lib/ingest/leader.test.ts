// The leader election's wait after a failure: doubling from the first wait up to the ceiling,
// half of it fixed and half random, so replicas that failed together do not retry together.
import { describe, expect, it } from "vitest";
import { retryDelay } from "./leader";

const backoff = { initialMs: 250, maxMs: 4_000 };

describe("retryDelay", () => {
  it("doubles per failure up to the ceiling", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, backoff, () => 1));
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it("waits at least half of it, whatever the random draw", () => {
    expect([0, 1, 4].map((n) => retryDelay(n, backoff, () => 0))).toEqual([125, 250, 2000]);
    expect(retryDelay(2, backoff, () => 0.5)).toBe(750);
  });
});
