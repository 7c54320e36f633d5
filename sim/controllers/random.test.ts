import { describe, expect, it } from "vitest";
import { Seeded } from "./random";

describe("Seeded", () => {
  it("derives the same values from the same seed and key, whatever the order of asking", () => {
    const a = new Seeded(7);
    const b = new Seeded(7);
    const first = [a.sha("commit", "payments", 1), a.digestOf("image", 1), a.suffix("pr", 1)];
    b.float("something else");
    expect([b.sha("commit", "payments", 1), b.digestOf("image", 1), b.suffix("pr", 1)]).toEqual(
      first,
    );
    expect(new Seeded(8).sha("commit", "payments", 1)).not.toBe(first[0]);
  });

  it("makes git SHAs, digests and generateName suffixes of the real shapes", () => {
    const s = new Seeded(1);
    expect(s.sha("x")).toMatch(/^[0-9a-f]{40}$/);
    expect(s.digestOf("x")).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(s.suffix("x")).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("keeps numbers in range and chance at its extremes", () => {
    const s = new Seeded(3);
    for (let i = 0; i < 200; i++) {
      const n = s.int(2, 5, i);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
      expect(s.chance(0, i)).toBe(false);
      expect(s.chance(1, i)).toBe(true);
    }
    const stream = s.stream("harbor");
    const again = new Seeded(3).stream("harbor");
    expect([stream(), stream()]).toEqual([again(), again()]);
  });
});
