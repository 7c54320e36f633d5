import { describe, expect, it } from "vitest";
import { elapsedMs, exactTime, formatDuration, relativeTime } from "./time";

const NOW = Date.parse("2026-11-26T12:00:00Z");

describe("relativeTime", () => {
  it("reads past and future times in the largest whole unit", () => {
    expect(relativeTime("2026-11-26T11:59:58Z", NOW)).toBe("just now");
    expect(relativeTime("2026-11-26T11:59:30Z", NOW)).toBe("30 s ago");
    expect(relativeTime("2026-11-26T11:57:00Z", NOW)).toBe("3 min ago");
    expect(relativeTime("2026-11-26T09:00:00Z", NOW)).toBe("3 h ago");
    expect(relativeTime("2026-11-20T12:00:00Z", NOW)).toBe("6 d ago");
    expect(relativeTime("2026-11-26T12:10:00Z", NOW)).toBe("in 10 min");
  });

  it("shows a dash for a missing or unreadable time", () => {
    expect(relativeTime(null, NOW)).toBe("—");
    expect(relativeTime("yesterday", NOW)).toBe("—");
  });
});

describe("exactTime", () => {
  it("gives the UTC time to the second", () => {
    expect(exactTime("2026-11-26T02:18:48.123Z")).toBe("2026-11-26 02:18:48 UTC");
    expect(exactTime(null)).toBe("");
  });
});

describe("formatDuration and elapsedMs", () => {
  it("formats seconds, minutes and hours", () => {
    expect(formatDuration(4_200)).toBe("4s");
    expect(formatDuration(65_000)).toBe("1m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
    expect(formatDuration(null)).toBe("—");
  });

  it("measures to now while running and to the finish once done", () => {
    expect(elapsedMs("2026-11-26T11:59:00Z", null, NOW)).toBe(60_000);
    expect(elapsedMs("2026-11-26T11:00:00Z", "2026-11-26T11:00:30Z", NOW)).toBe(30_000);
    expect(elapsedMs(null, null, NOW)).toBeNull();
  });
});
