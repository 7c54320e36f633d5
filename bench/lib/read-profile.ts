// Child process: where a read's time goes. Calls readCommitTimeline and listCommits (lib/db) one at
// a time on a node-postgres pool whose every statement is timed as the driver returns it, then runs
// EXPLAIN (ANALYZE, BUFFERS) on the exact statements sent. Input (stdin): { shas, lists }; output
// (stdout): one JSON line.
import pg from "pg";
import { createPool } from "../../lib/db/pool";
import { listCommits, type CommitListQuery } from "../../lib/db/commits";
import { readCommitTimeline } from "../../lib/db/timeline";

type Input = { shas: string[]; lists: CommitListQuery[] };

/** One SQL statement as sent, with its parameters (JSON) and its time to the driver's answer. */
export type Statement = { sql: string; params: string; ms: number };
export type QueryCost = { sql: string; calls: number; p50: number; p95: number; mean: number };
export type Breakdown = {
  samples: number;
  total: { p50: number; p95: number; mean: number };
  sqlShare: number;
  roundTrips: number;
  queries: QueryCost[];
};
export type Explained = { label: string; sql: string; ms: number; plan: string };
export type Profile = {
  timeline: Breakdown;
  list: Breakdown;
  explains: Explained[];
};

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Input;
const url = process.env.DATABASE_URL as string;

const client = createPool(url, 10);
let current: Statement[] = [];
const query = client.query.bind(client) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
// lib/db reads call pool.query({ name, text, values }); time each call as the caller sees it.
client.query = (async (config: pg.QueryConfig) => {
  const start = performance.now();
  const result = await query(config);
  const params = JSON.stringify(config.values ?? [], (_, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  current.push({ sql: config.text, params, ms: performance.now() - start });
  return result;
}) as typeof client.query;

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
/** One label per statement shape: the SQL without its parameter list's length. */
const shape = (sql: string) => sql.replace(/\$\d+(,\s*\$\d+)*/g, "$n").replace(/\s+/g, " ");

async function measure(calls: (() => Promise<unknown>)[]) {
  const totals: number[] = [];
  const statements: Statement[][] = [];
  for (const call of calls) {
    current = [];
    const start = performance.now();
    await call();
    totals.push(performance.now() - start);
    statements.push(current);
  }
  const byShape = new Map<string, number[]>();
  for (const s of statements.flat())
    byShape.set(shape(s.sql), [...(byShape.get(shape(s.sql)) ?? []), s.ms]);
  const breakdown: Breakdown = {
    samples: calls.length,
    total: { p50: pct(totals, 50), p95: pct(totals, 95), mean: mean(totals) },
    sqlShare: statements.flat().reduce((s, x) => s + x.ms, 0) / totals.reduce((s, x) => s + x, 0),
    roundTrips: statements.flat().length / calls.length,
    queries: [...byShape].map(([sql, ms]) => ({
      sql,
      calls: ms.length,
      p50: pct(ms, 50),
      p95: pct(ms, 95),
      mean: mean(ms),
    })),
  };
  breakdown.queries.sort((a, b) => b.mean * b.calls - a.mean * a.calls);
  return { breakdown, statements };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the slowest instance of each statement shape. */
async function explain(label: string, statements: Statement[][]): Promise<Explained[]> {
  const slowest = new Map<string, Statement>();
  for (const s of statements.flat()) {
    const prior = slowest.get(shape(s.sql));
    if (!prior || s.ms > prior.ms) slowest.set(shape(s.sql), s);
  }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const out: Explained[] = [];
    for (const s of slowest.values()) {
      const params = JSON.parse(s.params) as unknown[];
      const explainOnce = () =>
        db
          .query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${s.sql}`, params)
          .then((r) => r.rows.map((row) => row["QUERY PLAN"]).join("\n"))
          .catch((error: unknown) => `EXPLAIN failed: ${String(error)}`);
      // The second run: the first on a new connection also pays for loading the catalog caches.
      await explainOnce();
      const result = await explainOnce();
      out.push({ label, sql: `${s.sql}\n-- params: ${s.params}`, ms: s.ms, plan: result });
    }
    return out;
  } finally {
    await db.end();
  }
}

const now = new Date();
// Warm the client (connections, JIT) before timing anything.
// The server's own deep-link settings (this process has its environment), so that stored
// timelines are read as the server reads them.
for (const sha of input.shas.slice(0, 20)) await readCommitTimeline(sha, null, client, { now });
const timeline = await measure(
  input.shas.map((sha) => () => readCommitTimeline(sha, null, client, { now })),
);
const list = await measure(input.lists.map((query) => () => listCommits(query, client)));
const explains = [
  ...(await explain("timeline", timeline.statements)),
  ...(await explain("list", list.statements)),
];
await client.end();
const profile: Profile = {
  timeline: timeline.breakdown,
  list: list.breakdown,
  explains,
};
process.stdout.write(`${JSON.stringify(profile)}\n`);
