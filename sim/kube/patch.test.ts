import { describe, expect, it } from "vitest";
import { PatchError, applyJsonPatch, applyMergePatch, asJsonPatch, deepEqual } from "./patch";

describe("JSON merge patch (RFC 7386)", () => {
  it("merges objects, replaces arrays and scalars, deletes on null", () => {
    const target = {
      spec: { status: "PipelineRunPending", params: [{ name: "a", value: "1" }], keep: 1 },
      x: 1,
    };
    const out = applyMergePatch(target, {
      spec: { status: null, params: [{ name: "b", value: "2" }] },
      y: { z: true },
    });
    expect(out).toEqual({
      spec: { params: [{ name: "b", value: "2" }], keep: 1 },
      x: 1,
      y: { z: true },
    });
    expect(target.spec.status).toBe("PipelineRunPending"); // input untouched
  });

  it("replaces the whole document when the patch is not an object", () => {
    expect(applyMergePatch({ a: 1 }, [1, 2])).toEqual([1, 2]);
  });

  it("passes the RFC 7386 appendix examples", () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: "b" }, { a: "c" }, { a: "c" }],
      [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
      [{ a: "b" }, { a: null }, {}],
      [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
      [{ a: ["b"] }, { a: "c" }, { a: "c" }],
      [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
      [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
      [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
      [
        ["a", "b"],
        ["c", "d"],
        ["c", "d"],
      ],
      [{ a: "b" }, ["c"], ["c"]],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: "b", c: null }, { a: "b" }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, expected] of cases)
      expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe("JSON patch (RFC 6902)", () => {
  const doc = {
    metadata: { labels: { a: "1" } },
    spec: { status: "PipelineRunPending", params: [{ name: "x" }] },
  };

  it("applies add, remove, replace, move, copy and test", () => {
    const out = applyJsonPatch(
      doc,
      asJsonPatch([
        { op: "test", path: "/spec/status", value: "PipelineRunPending" },
        { op: "remove", path: "/spec/status" },
        { op: "add", path: "/spec/params/-", value: { name: "y" } },
        { op: "add", path: "/spec/params/0", value: { name: "w" } },
        { op: "replace", path: "/metadata/labels/a", value: "2" },
        { op: "add", path: "/metadata/labels/shiplog.dev~1app", value: "web" },
        { op: "copy", from: "/metadata/labels/a", path: "/metadata/labels/b" },
        { op: "move", from: "/metadata/labels/b", path: "/metadata/labels/c" },
      ]),
    );
    expect(out).toEqual({
      metadata: { labels: { a: "2", "shiplog.dev/app": "web", c: "2" } },
      spec: { params: [{ name: "w" }, { name: "x" }, { name: "y" }] },
    });
    expect(doc.spec.status).toBe("PipelineRunPending");
  });

  it("fails a test op, and removal or replacement of a missing path (422-class, not malformed)", () => {
    for (const ops of [
      [{ op: "test", path: "/spec/status", value: "Cancelled" }],
      [{ op: "remove", path: "/spec/missing" }],
      [{ op: "replace", path: "/spec/missing", value: 1 }],
      [{ op: "add", path: "/nope/deeper", value: 1 }],
      [{ op: "remove", path: "/spec/params/5" }],
    ]) {
      let err: unknown;
      try {
        applyJsonPatch(doc, asJsonPatch(ops));
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(ops)).toBeInstanceOf(PatchError);
      expect((err as PatchError).malformed).toBe(false);
    }
  });

  it("rejects documents that are not a list of operations as malformed", () => {
    for (const bad of [{ op: "add" }, [{ path: "/a" }], [{ op: "frobnicate", path: "/a" }]]) {
      let err: unknown;
      try {
        applyJsonPatch(doc, asJsonPatch(bad));
      } catch (e) {
        err = e;
      }
      expect((err as PatchError).malformed).toBe(true);
    }
  });

  it("replaces the root with an empty path", () => {
    expect(applyJsonPatch(doc, [{ op: "replace", path: "", value: { a: 1 } }])).toEqual({ a: 1 });
  });
});

describe("deepEqual", () => {
  it("ignores key order and compares arrays by position", () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: undefined }, {})).toBe(false);
  });
});
