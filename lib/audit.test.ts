import { describe, expect, it } from "vitest";
import { parseAuditSearch } from "./audit";

describe("parseAuditSearch", () => {
  it("turns the query string into a filter; days are UTC and `to` is inclusive", () => {
    const { filter, values, problems } = parseAuditSearch({
      actor: " admin@demo.shiplog.invalid ",
      action: "token.create",
      from: "2024-05-01",
      to: "2024-05-31",
      before: "120",
    });
    expect(problems).toEqual([]);
    expect(values).toEqual({
      actor: "admin@demo.shiplog.invalid",
      action: "token.create",
      from: "2024-05-01",
      to: "2024-05-31",
    });
    expect(filter).toEqual({
      actor: "admin@demo.shiplog.invalid",
      action: "token.create",
      from: new Date("2024-05-01T00:00:00Z"),
      to: new Date("2024-06-01T00:00:00Z"),
      before: 120n,
      limit: 50,
    });
  });

  it("drops bad values and says why", () => {
    const { filter, problems } = parseAuditSearch({
      from: "yesterday",
      to: "2024-13-45",
      before: "x",
    });
    expect(problems).toEqual([
      "from must be a date (YYYY-MM-DD)",
      "to must be a date (YYYY-MM-DD)",
      "before must be a record id",
    ]);
    expect(filter).toEqual({
      actor: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
      before: undefined,
      limit: 50,
    });
  });
});
