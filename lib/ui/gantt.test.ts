import { describe, expect, it } from "vitest";
import { ganttBars } from "./gantt";

const NOW = Date.parse("2026-11-26T10:02:00Z");

describe("ganttBars", () => {
  it("lays tasks out on one axis, a running task up to now", () => {
    const { bars, spanMs } = ganttBars(
      [
        {
          name: "clone",
          status: "succeeded",
          startedAt: "2026-11-26T10:00:00Z",
          finishedAt: "2026-11-26T10:00:30Z",
        },
        { name: "deploy", status: "running", startedAt: "2026-11-26T10:01:00Z", finishedAt: null },
        { name: "verify", status: "pending", startedAt: null, finishedAt: null },
      ],
      NOW,
    );
    expect(spanMs).toBe(120_000);
    expect(bars.map((b) => [b.task.name, b.left, b.width, b.durationMs])).toEqual([
      ["clone", 0, 25, 30_000],
      ["deploy", 50, 50, 60_000],
      ["verify", null, null, null],
    ]);
  });

  it("gives an instant task a visible sliver and copes with no start at all", () => {
    const at = "2026-11-26T10:00:00Z";
    const { bars } = ganttBars(
      [
        { name: "a", status: "succeeded", startedAt: at, finishedAt: "2026-11-26T10:01:00Z" },
        { name: "b", status: "succeeded", startedAt: at, finishedAt: at },
      ],
      NOW,
    );
    expect(bars[1].width).toBe(1);
    expect(
      ganttBars([{ name: "x", status: "pending", startedAt: null, finishedAt: null }], NOW),
    ).toEqual({
      spanMs: 0,
      bars: [
        { task: expect.objectContaining({ name: "x" }), left: null, width: null, durationMs: null },
      ],
    });
  });
});
