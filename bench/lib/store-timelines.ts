// Child process: the timeline keeper's start-up pass over a loaded database, as the leader runs it
// when it starts — every settled commit's timeline assembled and stored for the read API — with the
// environment the read server has (so the same deep-link settings). Prints one JSON line:
// { stored, seconds }.
import { createPool } from "../../lib/db/pool";
import { startTimelineKeeper } from "../../lib/ingest/timeline-keeper";
import { createHub } from "../../lib/realtime/hub";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const pool = createPool(url, 2);
const log = {
  info() {},
  warn: (fields: object, message: string) =>
    process.stderr.write(`${message} ${String(Object.values(fields)[0])}\n`),
};
const hub = createHub(pool, log);
const started = performance.now();
const keeper = startTimelineKeeper({ pool, hub, log });
await keeper.idle();
const seconds = (performance.now() - started) / 1000;
await keeper.stop();
await hub.close();
const { rows } = await pool.query<{ n: string }>("select count(*) as n from commit_timelines");
await pool.end();
process.stdout.write(`${JSON.stringify({ stored: Number(rows[0].n), seconds })}\n`);
