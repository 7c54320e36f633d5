import { describe, expect, it } from "vitest";
import { tailOf } from "./logs";

describe("tailOf", () => {
  it("keeps a short log whole", () => {
    expect(tailOf("a\nb\n", 200, 1024)).toEqual({ text: "a\nb\n", truncated: false });
    expect(tailOf("", 200, 1024)).toEqual({ text: "", truncated: false });
  });

  it("keeps the last lines and says the rest was left out", () => {
    expect(tailOf("1\n2\n3\n4\n", 2, 1024)).toEqual({ text: "3\n4\n", truncated: true });
    expect(tailOf("1\n2\n3", 2, 1024)).toEqual({ text: "2\n3", truncated: true });
  });

  it("keeps the end of a log longer than the byte limit, from a line start", () => {
    const text = `${"x".repeat(50)}\n${"y".repeat(10)}\nERROR: failed to build\n`;
    expect(tailOf(text, 200, 40)).toEqual({
      text: `${"y".repeat(10)}\nERROR: failed to build\n`,
      truncated: true,
    });
  });

  it("never splits a multi-byte character when it cuts inside a line", () => {
    const text = "✓".repeat(30); // 90 bytes, no newline
    const { text: out, truncated } = tailOf(text, 200, 10);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(10);
    expect(out).toBe("✓✓✓");
  });
});
