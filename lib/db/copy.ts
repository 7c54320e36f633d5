// Bulk loading with COPY … FROM STDIN (text format): Postgres parses each value on its own as the
// rows stream in, where one big JSON parameter is parsed whole before the first row is read, and
// the rows are encoded one at a time, so no batch-sized string or buffer is ever built.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { from as copyFrom } from "pg-copy-streams";
import type { Queryable } from "./pool";

// In COPY's text format a backslash starts an escape, and tab, newline and carriage return end a
// field or a row: those four are escaped, everything else is taken as it is.
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = new RegExp(SPECIAL.source, "g");
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const escape = (text: string) =>
  SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]) : text;
// JSON text holds no raw tab, newline or carriage return (JSON.stringify escapes them), only
// backslashes; objects often hold many (a last-applied-configuration annotation is JSON in JSON).
const escapeJson = (json: string) => json.replaceAll("\\", "\\\\");

/** A Postgres array literal's element: always quoted, with its quotes and backslashes escaped. */
const arrayElement = (text: string) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * One field as COPY's text format spells it: null (or undefined) as NULL, texts and numbers as
 * they are, a list of texts as a Postgres array literal when `array`, anything else as its JSON
 * (for jsonb columns).
 */
export function copyField(value: unknown, array = false): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") return escape(value);
  if (typeof value === "number") return String(value);
  if (array && Array.isArray(value)) {
    return escape(`{${value.map((element: string) => arrayElement(element)).join(",")}}`);
  }
  return escapeJson(JSON.stringify(value));
}

const CHUNK = 64 * 1024;

/**
 * Streams rows into `table` with one COPY (in the caller's transaction, if it holds one). Each
 * row is a list of fields in the order of `columns`, already spelled by copyField; rows are
 * produced as Postgres asks for them.
 */
export async function copyRows(
  db: Queryable,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly string[]>,
): Promise<number> {
  const stream = db.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`));
  // Rows go out in chunks of about CHUNK characters. One socket write per row would cost a system
  // call (and a wake-up of the backend) each; a batch-sized string or buffer would take fresh
  // memory pages from the system on every batch. Between chunks the event loop runs whatever else
  // is due (a request, the batch that holds the ingest lock): encoding a large batch never holds
  // the process for more than a chunk.
  async function* chunks() {
    let chunk = "";
    for (const fields of rows) {
      chunk += `${fields.join("\t")}\n`;
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = "";
        await new Promise(setImmediate);
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), stream);
  return stream.rowCount;
}
