import { describe, expect, it } from "vitest";
import { databasePerFile } from "@/test/database";
import { transaction } from "./pool";
import { copyRows, type CopyColumn } from "./copy";

const db = databasePerFile(1);

// Characters COPY's text format treats specially, multi-byte UTF-8, and the empty text: binary,
// each goes as its bytes.
const tricky = [
  "tab\there",
  "line\nbreak",
  "carriage\rreturn",
  "back\\slash",
  "\\N",
  "\\.",
  'quote " and comma ,',
  "{braces}",
  "ünïcödé ✓ 🚀",
  "",
];

const COLUMNS: CopyColumn[] = [
  ["n", "int4"],
  ["t", "text"],
  ["a", "text[]"],
  ["j", "jsonb"],
  ["at", "timestamptz"],
];

describe("copyRows", () => {
  it("loads texts, text arrays, JSON, integers and times exactly as they were, and NULL as NULL", async () => {
    const loaded = await transaction(db.pool, async (client) => {
      await client.query(
        "create temporary table copied (n int, t text, a text[], j jsonb, at timestamptz)",
      );
      const rows: unknown[][] = tricky.map((text, n) => [
        n,
        text,
        [text, "second"],
        { text, list: [text, null], nested: { json: JSON.stringify({ text }) } },
        `2026-11-26T10:00:0${n}.12345${n}Z`,
      ]);
      rows.push([-2147483648, null, [], null, "1999-12-31T23:59:59.5+01:00"]);
      rows.push([2147483647, null, ["x", null], "just a string", new Date(0)]);
      rows.push([99, null, null, null, null]);
      const count = await copyRows(client, "copied", COLUMNS, rows);
      const read = await client.query<{
        n: number;
        t: string;
        a: string[];
        j: unknown;
        at: string;
      }>(
        `select n, t, a, j, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at
           from copied order by n`,
      );
      return { count, rows: read.rows };
    });
    expect(loaded.count).toBe(tricky.length + 3);
    expect(loaded.rows).toEqual([
      { n: -2147483648, t: null, a: [], j: null, at: "1999-12-31T22:59:59.500000" },
      ...tricky.map((text, n) => ({
        n,
        t: text,
        a: [text, "second"],
        j: { text, list: [text, null], nested: { json: JSON.stringify({ text }) } },
        at: `2026-11-26T10:00:0${n}.12345${n}`,
      })),
      { n: 99, t: null, a: null, j: null, at: null },
      {
        n: 2147483647,
        t: null,
        a: ["x", null],
        j: "just a string",
        at: "1970-01-01T00:00:00.000000",
      },
    ]);
  });

  it("streams rows far beyond one chunk", async () => {
    const big = "x".repeat(10_000);
    const count = await transaction(db.pool, async (client) => {
      await client.query("create temporary table many (n int, j jsonb)");
      function* rows() {
        for (let n = 0; n < 500; n++) yield [n, { n, big }];
      }
      await copyRows(
        client,
        "many",
        [
          ["n", "int4"],
          ["j", "jsonb"],
        ],
        rows(),
      );
      const read = await client.query<{ rows: string; total: string }>(
        "select count(*) as rows, sum((j->>'n')::int) as total from many where j->>'big' = $1",
        [big],
      );
      return read.rows[0];
    });
    expect(count).toEqual({ rows: 500n, total: 124750n });
  });

  it("fails the transaction, leaving nothing, when Postgres refuses a value", async () => {
    await db.pool.query("create table if not exists kept (j jsonb)");
    await expect(
      transaction(db.pool, async (client) => {
        await client.query("insert into kept values ('1')");
        // jsonb holds no NUL character.
        await copyRows(client, "kept", [["j", "jsonb"]], [[{ a: 1 }], [{ a: "\u0000" }]]);
      }),
    ).rejects.toThrow(/unsupported Unicode escape sequence/);
    const left = await db.pool.query("select count(*)::int as n from kept");
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it("stops a COPY whose rows cannot be encoded, and the connection goes on working", async () => {
    await db.pool.query("create table if not exists encoded (n int)");
    function* rows() {
      yield [1];
      yield ["two"];
    }
    await expect(
      transaction(db.pool, (client) => copyRows(client, "encoded", [["n", "int4"]], rows())),
    ).rejects.toThrow("n: not an integer: two");
    // The pool holds one connection: the same one answers, with nothing of the failed COPY kept.
    const after = await db.pool.query("select count(*)::int as n from encoded");
    expect(after.rows[0]).toEqual({ n: 0 });
  });
});
