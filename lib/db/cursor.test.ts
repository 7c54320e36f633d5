import { describe, expect, it } from "vitest";
import { BadInput } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "./cursor";

describe("commit cursor", () => {
  it("round-trips a dated and an undated key", () => {
    const dated = { at: new Date("2026-11-02T10:00:00.123Z"), id: 42n };
    const c = encodeCursor(dated);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual(dated);
    expect(decodeCursor(encodeCursor({ at: null, id: 7n }))).toEqual({ at: null, id: 7n });
  });

  it("keeps ids beyond 2^53", () => {
    expect(decodeCursor(encodeCursor({ at: null, id: 9007199254740993n })).id).toBe(
      9007199254740993n,
    );
  });

  it("refuses anything else with a BadInput", () => {
    const bad = [
      "",
      "not base64!",
      Buffer.from("{}").toString("base64url"),
      Buffer.from('["2026-11-02T10:00:00.000Z"]').toString("base64url"),
      Buffer.from('["yesterday","1"]').toString("base64url"),
      Buffer.from('[null,"-1"]').toString("base64url"),
      Buffer.from("[null,1]").toString("base64url"),
    ];
    for (const cursor of bad) {
      expect(() => decodeCursor(cursor), cursor).toThrow(BadInput);
    }
    expect(() => decodeCursor("bm9wZQ")).toThrow("cursor is not one this server handed out");
  });
});
