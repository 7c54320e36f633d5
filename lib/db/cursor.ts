// The opaque cursor of the commit list: base64url of the last row's sort key (committed_at, id).
import { BadInput } from "@/lib/errors";

export interface CommitCursor {
  at: Date | null; // committed_at; null sorts last
  id: bigint;
}

export function encodeCursor(key: CommitCursor): string {
  const json = JSON.stringify([key.at ? key.at.toISOString() : null, key.id.toString()]);
  return Buffer.from(json, "utf8").toString("base64url");
}

/** The key a cursor holds; BadInput for anything this server did not hand out. */
export function decodeCursor(cursor: string): CommitCursor {
  const invalid = () => new BadInput("cursor is not one this server handed out");
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [at, id] = value as unknown[];
  if (typeof id !== "string" || !/^\d{1,19}$/.test(id)) throw invalid();
  if (at === null) return { at: null, id: BigInt(id) };
  if (typeof at !== "string") throw invalid();
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) throw invalid();
  return { at: date, id: BigInt(id) };
}
