// What-if measurements behind the read benchmark's proposals: the resources query as Prisma
// sent it against the same query reading only each object's labels and annotations, and lib/db's
// reads against the plain-SQL candidate (sql-reads.ts), both one call at a time.
import pg from "pg";

/** One SQL statement as Prisma's query event reported it. */
export type Statement = { sql: string; params: string; ms: number };

/** The resources query as sent, against the same query reading only the object's labels. */
export type WhatIf = {
  samples: number;
  asIs: { ms: number; objectKiB: number };
  labelsOnly: { ms: number; objectKiB: number };
} | null;

/** lib/db's read against the plain-SQL candidate (sql-reads.ts), one call at a time. */
export type Candidate = {
  samples: number;
  lib: { cpuMs: number; wallMs: number };
  sql: { cpuMs: number; wallMs: number };
  identical: number;
};

/** The only part of `object` the timeline reads: its labels and annotations (lib/timeline/draft.ts). */
const LABELS_ONLY = `jsonb_build_object('metadata', jsonb_build_object(
  'labels', r.object->'metadata'->'labels', 'annotations', r.object->'metadata'->'annotations')) as object`;

export async function trimmedObject(url: string, statements: Statement[][]): Promise<WhatIf> {
  const calls = statements.flat().filter((s) => /\br\.object,/.test(s.sql));
  if (calls.length === 0) return null;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const asIs = { ms: 0, bytes: 0 };
    const trimmed = { ms: 0, bytes: 0 };
    const time = async (sql: string, params: unknown[], into: typeof asIs) => {
      const start = performance.now();
      const { rows } = await db.query<{ object: unknown }>(sql, params);
      into.ms += performance.now() - start;
      into.bytes += rows.reduce((sum, row) => sum + JSON.stringify(row.object).length, 0);
    };
    for (const s of calls) {
      const params = JSON.parse(s.params) as unknown[];
      await time(s.sql, params, asIs);
      await time(s.sql.replace(/\br\.object,/, `${LABELS_ONLY},`), params, trimmed);
    }
    const per = (x: typeof asIs) => ({
      ms: x.ms / calls.length,
      objectKiB: x.bytes / calls.length / 1024,
    });
    return { samples: calls.length, asIs: per(asIs), labelsOnly: per(trimmed) };
  } finally {
    await db.end();
  }
}

/** Per call: CPU of this process and wall time, for lib/db's read and then the candidate's. */
export async function compare(
  pairs: [() => Promise<unknown>, () => Promise<unknown>][],
): Promise<Candidate> {
  const run = async (pick: 0 | 1) => {
    const outputs: string[] = [];
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const pair of pairs) outputs.push(JSON.stringify(await pair[pick]()));
    const wallMs = (performance.now() - start) / pairs.length;
    const used = process.cpuUsage(cpu);
    return { outputs, cpuMs: (used.user + used.system) / 1000 / pairs.length, wallMs };
  };
  const lib = await run(0);
  const sql = await run(1);
  return {
    samples: pairs.length,
    lib: { cpuMs: lib.cpuMs, wallMs: lib.wallMs },
    sql: { cpuMs: sql.cpuMs, wallMs: sql.wallMs },
    identical: lib.outputs.filter((out, i) => out === sql.outputs[i]).length,
  };
}
