// The read API's statements are named prepared statements (lib/db/commits.ts `select`): each
// connection parses them once, and should plan them once too. Postgres re-plans a statement for
// every call when the plan it would make for any values looks dearer than one for the values at
// hand — as a range on a bare parameter, a parameter limit or a parameter status do on a large
// table. These tests read a table large enough for that, over one connection, and count plans.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "@/test/database";
import { listCommits, type CommitListQuery } from "./commits";
import { createPool } from "./pool";
import { getCommitTimeline } from "./timeline";

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;

const APPS = ["api", "web", "worker", "ledger"];

beforeAll(async () => {
  database = await freshDatabase();
  pool = createPool(database.url, 1);
  await pool.query(`insert into apps (name) select unnest($1::text[])`, [APPS]);
  // 20,000 commits over four apps: one in 500 running, one in ten failed, the rest succeeded.
  await pool.query(
    `insert into commits (app_id, sha, committed_at, status, updated_at)
     select a.id, encode(sha256(n::text::bytea), 'hex'),
            timestamp '2026-01-01' + n * interval '1 minute',
            case when n % 500 = 0 then 'running' when n % 10 = 0 then 'failed' else 'succeeded' end,
            now()
       from generate_series(1, 20000) n join apps a on a.name = ($1::text[])[1 + n % 4]`,
    [APPS],
  );
  await pool.query("analyze commits");
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** Plans made so far for the statements whose text contains `marker`, on the one connection. */
async function plans(marker: string) {
  const { rows } = await pool.query<{ statement: string; generic: bigint; custom: bigint }>(
    `select statement, generic_plans as generic, custom_plans as custom
       from pg_prepared_statements where statement like '%' || $1 || '%'`,
    [marker],
  );
  return rows;
}

// Postgres tries five custom plans before it compares them with the generic one.
const TRIED = 5n;

describe("the read API's statements are planned once per connection", () => {
  it("finding a commit by SHA or prefix", async () => {
    const { rows } = await pool.query<{ sha: string }>(
      "select sha from commits order by id limit 12",
    );
    for (const [k, { sha }] of rows.entries()) {
      const asked = k % 2 === 0 ? sha : sha.slice(0, 7);
      expect((await getCommitTimeline(asked, null, pool, { links: {} })).sha).toBe(sha);
    }
    const found = await plans("t.links_key = $4");
    expect(found).toHaveLength(1);
    expect(found[0].custom).toBeLessThanOrEqual(TRIED);
    expect(found[0].generic).toBeGreaterThanOrEqual(7n);
  });

  it("listing commits, filtered or not, first pages and pages after a cursor", async () => {
    const queries: CommitListQuery[] = [
      {},
      { app: "web" },
      { status: "failed" },
      { status: "running" },
      { app: "api", status: "failed" },
    ];
    const seen: Record<string, number> = {};
    for (let round = 0; round < 8; round++) {
      for (const query of queries) {
        const first = await listCommits(query, pool);
        const second = first.nextCursor
          ? await listCommits({ ...query, cursor: first.nextCursor }, pool)
          : { items: [] };
        const key = JSON.stringify(query);
        seen[key] = first.items.length + second.items.length;
      }
    }
    // What was read is right: the 40 running commits, and full pages elsewhere.
    expect(seen[JSON.stringify({ status: "running" })]).toBe(40);
    expect(seen[JSON.stringify({})]).toBe(100);

    const statements = await plans("from commits c where");
    expect(statements.length).toBeGreaterThanOrEqual(9);
    for (const s of statements) {
      expect(s.custom, s.statement).toBeLessThanOrEqual(TRIED);
      expect(s.generic, s.statement).toBeGreaterThan(0n);
    }
  });
});
