import { afterEach, describe, expect, it, vi } from "vitest";
import { readNow, subscribeEvery } from "./use-now";

describe("the shared clock", () => {
  const unsubscribes: (() => void)[] = [];
  afterEach(() => {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    vi.useRealTimers();
  });

  it("gives React one subscribe function per precision", () => {
    expect(subscribeEvery(15_000)).toBe(subscribeEvery(15_000));
    expect(subscribeEvery(1_000)).not.toBe(subscribeEvery(15_000));
  });

  it("does not move when components subscribe within its precision", () => {
    vi.useFakeTimers({ now: new Date("2026-11-26T06:00:00Z") });
    unsubscribes.push(subscribeEvery(1_000)(() => {}));
    const first = readNow();
    for (let i = 0; i < 5; i++) {
      vi.setSystemTime(Date.now() + 3);
      unsubscribes.push(subscribeEvery(1_000)(() => {}));
    }
    expect(readNow()).toBe(first);
  });

  it("ticks at the finest precision asked for, telling every subscriber", () => {
    vi.useFakeTimers({ now: new Date("2026-11-26T06:00:00Z") });
    const heard: number[] = [];
    unsubscribes.push(subscribeEvery(15_000)(() => heard.push(readNow())));
    unsubscribes.push(subscribeEvery(1_000)(() => {}));
    vi.advanceTimersByTime(3_000);
    expect(heard).toHaveLength(3);
    expect(heard[2] - heard[0]).toBe(2_000);
  });
});
