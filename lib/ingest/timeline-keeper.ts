// The timeline keeper: stores each commit's assembled timeline once it has settled, so that the
// read API answers with stored bytes (lib/db/timeline.ts). It follows the same `timeline` events
// that tell the browsers a commit changed — whoever wrote the change (watchers, webhooks, gate
// decisions, any replica) — and at start fills in what is missing or out of date, newest first.
// Runs on the leader; a read that finds no current timeline assembles (and stores) one itself.
import type pg from "pg";
import { settledCommitIds, staleTimelines, storeTimelines } from "../db/timeline";
import type { LinkBases } from "../timeline/types";
import type { Hub, StoredEvent } from "../realtime/hub";

type Logger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
};

export type TimelineKeeperOptions = {
  pool: pg.Pool;
  hub: Pick<Hub, "subscribe">;
  log: Logger;
  /** The deep-link settings the read API uses (default: this server's configuration). */
  links?: LinkBases;
  /** How long changes gather before their timelines are built (default 500 ms). */
  delayMs?: number;
  /** Timelines built per round trip (default 200). */
  batch?: number;
};

export type TimelineKeeper = {
  /** Resolves when the start-up pass is done and no change waits to be built. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

type Changed = { app: string; sha: string };

function changedCommit(event: StoredEvent): Changed | null {
  if (event.type !== "timeline") return null;
  const payload = event.payload as Partial<Changed> | null;
  return typeof payload?.app === "string" && typeof payload.sha === "string"
    ? { app: payload.app, sha: payload.sha }
    : null;
}

export function startTimelineKeeper(options: TimelineKeeperOptions): TimelineKeeper {
  const { pool, log } = options;
  const delayMs = options.delayMs ?? 500;
  const batch = options.batch ?? 200;
  const pending = new Map<string, Changed>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let work: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | undefined;

  const store = (ids: bigint[]) => storeTimelines(pool, ids, options.links);

  const run = (task: () => Promise<void>, what: string) => {
    work = work.then(async () => {
      if (stopped) return;
      try {
        await task();
      } catch (err) {
        log.warn({ err }, `timeline keeper: ${what} failed; the read API assembles them meanwhile`);
      }
    });
  };

  const flush = () => {
    timer = undefined;
    const changed = [...pending.values()];
    pending.clear();
    run(async () => {
      for (let i = 0; i < changed.length && !stopped; i += batch) {
        await store(await settledCommitIds(pool, changed.slice(i, i + batch)));
      }
    }, "storing changed timelines");
  };

  // Changes are followed from before the start-up pass reads, so that none falls in between.
  const following = options.hub
    .subscribe(null, (event) => {
      const changed = changedCommit(event);
      if (!changed || stopped) return;
      pending.set(`${changed.app}\u0000${changed.sha}`, changed);
      timer ??= setTimeout(flush, delayMs);
    })
    .then((off) => {
      if (stopped) off();
      else unsubscribe = off;
    })
    .catch((err: unknown) => log.warn({ err }, "timeline keeper: cannot follow events"));

  // Start-up: every settled commit without a current stored timeline, newest first, in pages.
  run(async () => {
    await following;
    const started = performance.now();
    let stored = 0;
    let before: bigint | null = null;
    while (!stopped) {
      const ids = await staleTimelines(pool, batch, options.links, before);
      if (ids.length === 0) break;
      stored += await store(ids);
      before = ids[ids.length - 1];
    }
    if (stored > 0) {
      log.info(
        { stored, ms: Math.round(performance.now() - started) },
        "timeline keeper: stored the timelines that were missing or out of date",
      );
    }
  }, "the start-up pass");

  return {
    async idle() {
      for (;;) {
        const current = work;
        await current;
        if (timer) {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          continue;
        }
        if (current === work) return;
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      unsubscribe?.();
      await work;
    },
  };
}
