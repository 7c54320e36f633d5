import { describe, expect, it } from "vitest";
import { copyField } from "./copy";

describe("copyField", () => {
  it("spells null and undefined as COPY's NULL", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(undefined)).toBe("\\N");
  });

  it("escapes backslash, tab, newline and carriage return in texts, and nothing else", () => {
    expect(copyField("plain text, with 'quotes' and \"more\"")).toBe(
      "plain text, with 'quotes' and \"more\"",
    );
    expect(copyField("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    // A text that reads like COPY's NULL or end-of-data marker stays text.
    expect(copyField("\\N")).toBe("\\\\N");
    expect(copyField("\\.")).toBe("\\\\.");
  });

  it("writes numbers as they are", () => {
    expect(copyField(42)).toBe("42");
  });

  it("writes objects and lists as JSON with their backslashes doubled", () => {
    expect(copyField({ a: 'say "hi"\n', b: [1, null] })).toBe(
      '{"a":"say \\\\"hi\\\\"\\\\n","b":[1,null]}',
    );
    expect(copyField(["x", "y"])).toBe('["x","y"]');
  });

  it("writes a list of texts as an array literal when asked", () => {
    expect(copyField(["sha256:1", "shop/app:v1"], true)).toBe('{"sha256:1","shop/app:v1"}');
    expect(copyField([], true)).toBe("{}");
    // Quotes and backslashes inside elements are escaped for the array, then for COPY.
    expect(copyField(['a"b', "c\\d", "e,f"], true)).toBe('{"a\\\\"b","c\\\\\\\\d","e,f"}');
  });
});
