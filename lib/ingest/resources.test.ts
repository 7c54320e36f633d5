import { describe, expect, it } from "vitest";
import { normalizeResource } from "@/lib/sources";
import * as release from "@/test/scenarios/release";
import { resourceRow, storedObject } from "./resources";

const managedFields = [
  {
    manager: "kpack-controller",
    operation: "Update",
    apiVersion: "kpack.io/v1alpha2",
    time: "2026-11-25T10:03:00Z",
    fieldsType: "FieldsV1",
    fieldsV1: { "f:status": { "f:conditions": {}, "f:latestImage": {} } },
    subresource: "status",
  },
];

describe("storedObject", () => {
  it("keeps a watched object but for metadata.managedFields", () => {
    const build = release.build();
    const watched = { ...build, metadata: { ...build.metadata, managedFields } };
    expect(storedObject(watched)).toEqual(build);
    // The object the watch delivered is not changed: the gate controller reads it too.
    expect(watched.metadata.managedFields).toBe(managedFields);
  });

  it("passes through objects without managedFields, and anything that is not an object", () => {
    const build = release.build();
    expect(storedObject(build)).toBe(build);
    expect(storedObject(null)).toBeNull();
    expect(storedObject({ kind: "Build" })).toEqual({ kind: "Build" });
  });

  it("is what a resource row stores", () => {
    const build = release.build();
    const watched = { ...build, metadata: { ...build.metadata, managedFields } };
    const result = normalizeResource(watched);
    if (!result.ok) throw result.error;
    const row = resourceRow(
      {
        scope: { cluster: "staging", environment: "staging" },
        observation: result.observations[0],
        object: watched,
        deleted: false,
      },
      new Date("2026-11-25T10:05:00Z"),
    );
    expect(row.object).toEqual(build);
  });
});
