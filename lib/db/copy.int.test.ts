import { describe, expect, it } from "vitest";
import { databasePerFile } from "@/test/database";
import { transaction } from "./pool";
import { copyField, copyRows } from "./copy";

const db = databasePerFile(1);

// Every character COPY's text format treats specially, in every kind of column it loads.
const tricky = [
  "tab\there",
  "line\nbreak",
  "carriage\rreturn",
  "back\\slash",
  "\\N",
  "\\.",
  'quote " and comma ,',
  "{braces}",
  "ünïcödé ✓",
  "",
];

describe("copyRows", () => {
  it("loads texts, text arrays and JSON exactly as they were, and NULL as NULL", async () => {
    const loaded = await transaction(db.pool, async (client) => {
      await client.query("create temporary table copied (n int, t text, a text[], j jsonb)");
      const rows = tricky.map((text, n) => [
        copyField(n),
        copyField(text),
        copyField([text, "second"], true),
        copyField({ text, list: [text, null], nested: { json: JSON.stringify({ text }) } }),
      ]);
      rows.push([copyField(99), copyField(null), copyField(null), copyField(null)]);
      const count = await copyRows(client, "copied", ["n", "t", "a", "j"], rows);
      const read = await client.query<{ n: number; t: string; a: string[]; j: unknown }>(
        "select n, t, a, j from copied order by n",
      );
      return { count, rows: read.rows };
    });
    expect(loaded.count).toBe(tricky.length + 1);
    expect(loaded.rows).toEqual([
      ...tricky.map((text, n) => ({
        n,
        t: text,
        a: [text, "second"],
        j: { text, list: [text, null], nested: { json: JSON.stringify({ text }) } },
      })),
      { n: 99, t: null, a: null, j: null },
    ]);
  });

  it("streams rows far beyond one chunk", async () => {
    const big = "x".repeat(10_000);
    const count = await transaction(db.pool, async (client) => {
      await client.query("create temporary table many (n int, j jsonb)");
      function* rows() {
        for (let n = 0; n < 500; n++) yield [copyField(n), copyField({ n, big })];
      }
      await copyRows(client, "many", ["n", "j"], rows());
      const read = await client.query<{ rows: string; total: string }>(
        "select count(*) as rows, sum((j->>'n')::int) as total from many where j->>'big' = $1",
        [big],
      );
      return read.rows[0];
    });
    expect(count).toEqual({ rows: 500n, total: 124750n });
  });

  it("fails the transaction, leaving nothing, when a value does not parse", async () => {
    await db.pool.query("create table if not exists kept (n int)");
    await expect(
      transaction(db.pool, async (client) => {
        await client.query("insert into kept values (1)");
        await copyRows(client, "kept", ["n"], [["1"], ["not a number"]]);
      }),
    ).rejects.toThrow(/invalid input syntax for type integer/);
    const left = await db.pool.query("select count(*)::int as n from kept");
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it("stops a COPY whose rows cannot be encoded, and the connection goes on working", async () => {
    await db.pool.query("create table if not exists encoded (n int)");
    function* rows() {
      yield [copyField(1)];
      throw new Error("row 2 cannot be encoded");
    }
    await expect(
      transaction(db.pool, (client) => copyRows(client, "encoded", ["n"], rows())),
    ).rejects.toThrow("row 2 cannot be encoded");
    // The pool holds one connection: the same one answers, with nothing of the failed COPY kept.
    const after = await db.pool.query("select count(*)::int as n from encoded");
    expect(after.rows[0]).toEqual({ n: 0 });
  });
});
