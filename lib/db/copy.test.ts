import { describe, expect, it } from "vitest";
import { BinaryRows, timestampMicros } from "./copy";

describe("timestampMicros", () => {
  it("counts microseconds from 2000-01-01 UTC, as Postgres's binary timestamptz", () => {
    expect(timestampMicros("2000-01-01T00:00:00Z")).toBe(0n);
    expect(timestampMicros("2000-01-01T00:00:01.5Z")).toBe(1_500_000n);
    expect(timestampMicros(new Date("2000-01-01T00:00:00.001Z"))).toBe(1000n);
    // Before 2000: negative.
    expect(timestampMicros("1999-12-31T23:59:59Z")).toBe(-1_000_000n);
  });

  it("keeps the microseconds a text gives beyond Date's milliseconds", () => {
    expect(timestampMicros("2000-01-01T00:00:00.123456Z")).toBe(123_456n);
    expect(timestampMicros("2000-01-01T00:00:00.12345Z")).toBe(123_450n);
    expect(timestampMicros("1999-12-31T23:59:59.999500Z")).toBe(-500n);
  });

  it("reads the zone a text names", () => {
    expect(timestampMicros("2000-01-01T02:00:00+02:00")).toBe(0n);
    expect(timestampMicros("2000-01-01T02:00:00+0200")).toBe(0n);
  });

  it("refuses a text without a zone, or that is no time at all", () => {
    expect(() => timestampMicros("2000-01-01T00:00:00")).toThrow(/time zone/);
    expect(() => timestampMicros("yesterday")).toThrow(/not a timestamp/);
  });
});

describe("BinaryRows", () => {
  const bytes = (...parts: (number[] | string)[]) =>
    Buffer.concat(
      parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))),
    );
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return [...b];
  };

  it("writes the signature, then each row's field count and fields, then the trailer", () => {
    const rows = new BinaryRows([
      ["t", "text"],
      ["n", "int4"],
      ["j", "jsonb"],
    ]);
    rows.row(["é", 7, { a: 1 }]);
    rows.row([null, undefined, null]);
    rows.end();
    expect(rows.take()).toEqual(
      bytes(
        "PGCOPY\n",
        [0xff, 0x0d, 0x0a, 0x00],
        int32(0),
        int32(0),
        [0, 3],
        int32(2), // "é" is two bytes of UTF-8
        "é",
        int32(4),
        int32(7),
        int32(8), // version byte + {"a":1}
        [1],
        '{"a":1}',
        [0, 3],
        int32(-1),
        int32(-1),
        int32(-1),
        [0xff, 0xff],
      ),
    );
  });

  it("writes a text[] with its dimension, or none when empty, and NULL elements", () => {
    const rows = new BinaryRows([["a", "text[]"]]);
    rows.take(); // the signature
    rows.row([["x", null]]);
    rows.row([[]]);
    expect(rows.take()).toEqual(
      bytes(
        [0, 1],
        int32(4 * 5 + 4 + 1 + 4),
        int32(1),
        int32(1),
        int32(25),
        int32(2),
        int32(1),
        int32(1),
        "x",
        int32(-1),
        [0, 1],
        int32(12),
        int32(0),
        int32(0),
        int32(25),
      ),
    );
  });

  it("grows past its chunk for a value larger than it", () => {
    const rows = new BinaryRows([["t", "text"]]);
    const big = "✓".repeat(100_000); // 300,000 bytes of UTF-8
    rows.row([big]);
    const out = rows.take();
    expect(out.length).toBe(19 + 2 + 4 + 300_000);
    expect(out.readInt32BE(21)).toBe(300_000);
    expect(out.subarray(25).toString("utf8")).toBe(big);
  });

  it("refuses a row that does not fit its columns", () => {
    const rows = new BinaryRows([
      ["n", "int4"],
      ["a", "text[]"],
    ]);
    expect(() => rows.row([1])).toThrow(/a row of 1 values for 2 columns/);
    expect(() => rows.row([1.5, []])).toThrow(/n: not an integer/);
    expect(() => rows.row([1, "x"])).toThrow(/a: not a list/);
    const texts = new BinaryRows([["t", "text"]]);
    expect(() => texts.row([{ a: 1 }])).toThrow(/t: not a text: object/);
    expect(() => texts.row([42])).toThrow(/t: not a text: number/);
    expect(() => rows.row([1, [7]])).toThrow(/an element of a text\[\]: not a text: number/);
  });
});
