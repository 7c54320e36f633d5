// Bulk loading with COPY … FROM STDIN in Postgres's binary format: Postgres parses each value on
// its own as the rows stream in, where one big JSON parameter is parsed whole before the first row
// is read. Binary, each value goes out as its length and its bytes: no escaping of backslashes,
// tabs and newlines, no text joined into rows and chunks, and Postgres scans nothing for
// delimiters. Rows are encoded one at a time into chunk-sized buffers, so no batch-sized string or
// buffer is ever built.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { from as copyFrom } from "pg-copy-streams";
import type { Queryable } from "./pool";

/** The column types COPY is given values for, and how each value is sent. */
export type CopyType = "text" | "int4" | "jsonb" | "timestamptz" | "text[]";
export type CopyColumn = readonly [name: string, type: CopyType];

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const TEXT_OID = 25;
const EPOCH_2000_MS = Date.UTC(2000, 0, 1);
// A timestamp's fraction beyond milliseconds (Postgres keeps microseconds; Date keeps milliseconds).
const SUB_MILLISECONDS = /\.\d{3}(\d{1,3})/;
// A text timestamp must say its zone: without one, Date reads local time where Postgres would
// read the session's.
const ZONED = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i;
const CHUNK = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** Microseconds since 2000-01-01 UTC (Postgres's binary timestamptz) of an ISO 8601 text or a Date. */
export function timestampMicros(value: string | Date): bigint {
  const ms = value instanceof Date ? value.getTime() : ZONED.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new TypeError(`not a timestamp with a time zone: ${String(value)}`);
  const extra = typeof value === "string" ? SUB_MILLISECONDS.exec(value)?.[1] : undefined;
  return BigInt(ms - EPOCH_2000_MS) * 1000n + BigInt(extra ? extra.padEnd(3, "0") : 0);
}

/**
 * Rows in COPY's binary format, written into buffers of about CHUNK bytes: `take()` hands over
 * what is written so far.
 */
export class BinaryRows {
  private buffer = EMPTY;
  private length = 0;

  constructor(private readonly columns: readonly CopyColumn[]) {
    this.room(SIGNATURE.length + 8);
    SIGNATURE.copy(this.buffer, 0);
    this.length = SIGNATURE.length;
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  get size(): number {
    return this.length;
  }

  /** One row; its values in the order of the columns. */
  row(values: readonly unknown[]): void {
    if (values.length !== this.columns.length) {
      throw new TypeError(`a row of ${values.length} values for ${this.columns.length} columns`);
    }
    this.room(2);
    this.buffer.writeInt16BE(values.length, this.length);
    this.length += 2;
    for (const [i, [name, type]] of this.columns.entries()) {
      const value = values[i];
      if (value === null || value === undefined) this.int32(-1);
      else this.field(name, type, value);
    }
  }

  /** The trailer that ends the data. */
  end(): void {
    this.room(2);
    this.buffer.writeInt16BE(-1, this.length);
    this.length += 2;
  }

  /** What is written so far; a fresh buffer is taken only when more is written. */
  take(): Buffer {
    const written = this.buffer.subarray(0, this.length);
    this.buffer = EMPTY;
    this.length = 0;
    return written;
  }

  private field(name: string, type: CopyType, value: unknown): void {
    switch (type) {
      case "text":
        if (typeof value !== "string") throw new TypeError(`${name}: not a text: ${typeof value}`);
        return this.text(value);
      case "jsonb":
        // jsonb's binary form: a version byte, then the JSON text.
        return this.text(JSON.stringify(value), 1);
      case "int4":
        if (!Number.isInteger(value)) throw new TypeError(`${name}: not an integer: ${value}`);
        this.int32(4);
        return this.int32(value as number);
      case "timestamptz":
        this.int32(8);
        this.room(8);
        this.buffer.writeBigInt64BE(timestampMicros(value as string | Date), this.length);
        this.length += 8;
        return;
      case "text[]":
        if (!Array.isArray(value)) throw new TypeError(`${name}: not a list`);
        return this.textArray(value);
    }
  }

  /** A text as its UTF-8 bytes, after an optional leading byte. */
  private text(text: string, lead?: number): void {
    // At most three bytes per UTF-16 unit (a surrogate pair's four bytes take two units).
    this.room(4 + 1 + 3 * text.length);
    const at = this.length;
    this.length += 4;
    if (lead !== undefined) this.buffer[this.length++] = lead;
    this.length += this.buffer.write(text, this.length, "utf8");
    this.buffer.writeInt32BE(this.length - at - 4, at);
  }

  /** A one-dimensional text[] (empty: no dimensions), NULL elements included. */
  private textArray(elements: unknown[]): void {
    const at = this.length;
    this.room(4 + 20);
    this.length += 4;
    this.int32(elements.length > 0 ? 1 : 0); // dimensions
    this.int32(elements.some((e) => e === null || e === undefined) ? 1 : 0); // has NULLs
    this.int32(TEXT_OID);
    if (elements.length > 0) {
      this.int32(elements.length);
      this.int32(1); // lower bound
    }
    for (const element of elements) {
      if (element === null || element === undefined) this.int32(-1);
      else if (typeof element === "string") this.text(element);
      else throw new TypeError(`an element of a text[]: not a text: ${typeof element}`);
    }
    this.buffer.writeInt32BE(this.length - at - 4, at);
  }

  private int32(n: number): void {
    this.room(4);
    this.buffer.writeInt32BE(n, this.length);
    this.length += 4;
  }

  /** Makes room for `bytes` more, keeping what is written. */
  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(
      Math.max(2 * CHUNK, 2 * this.buffer.length, this.length + bytes),
    );
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}

/**
 * Streams rows into `table` with one COPY (in the caller's transaction, if it holds one). Each row
 * is a list of values in the order of `columns`, each sent as its column's type says (null and
 * undefined as NULL); rows are encoded as Postgres asks for them.
 */
export async function copyRows(
  db: Queryable,
  table: string,
  columns: readonly CopyColumn[],
  rows: Iterable<readonly unknown[]>,
): Promise<number> {
  const names = columns.map(([name]) => name).join(", ");
  const stream = db.query(copyFrom(`copy ${table} (${names}) from stdin with (format binary)`));
  // Rows go out in chunks of about CHUNK bytes. One socket write per row would cost a system call
  // (and a wake-up of the backend) each. Between chunks the event loop runs whatever else is due
  // (a request, the batch that holds the ingest lock): encoding a large batch never holds the
  // process for more than a chunk.
  async function* chunks() {
    const out = new BinaryRows(columns);
    for (const values of rows) {
      out.row(values);
      if (out.size >= CHUNK) {
        yield out.take();
        await new Promise(setImmediate);
      }
    }
    out.end();
    yield out.take();
  }
  await pipeline(Readable.from(chunks()), stream);
  return stream.rowCount;
}
