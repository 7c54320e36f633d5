// Watch over HTTP: a chunked stream of newline-delimited JSON events, with bookmarks, timeouts and faults.
import type { ApiRequest } from "./http-util";
import { KubeError } from "./status-errors";
import type { WatchOptions } from "./store";
import type { ResourceType, WatchEvent } from "./types";
import type { WatchHandle } from "./watch-hub";

export interface HttpWatchOptions extends WatchOptions {
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
}

/**
 * Streams events for `type` until the client leaves, `timeoutSeconds` passes, or a fault drops it.
 * A resourceVersion older than the history answers 200 with one ERROR event (410 Expired), as the
 * apiserver does; other errors (bad selectors) are thrown before the response starts.
 */
export function serveWatch(
  r: ApiRequest,
  type: ResourceType,
  opts: HttpWatchOptions,
  encode: (ev: WatchEvent) => unknown,
): void {
  const { res, req, env, store } = r;
  let started = false;
  let ended = false;
  let paused = false;
  const early: string[] = [];
  const held: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  let bookmarks: NodeJS.Timeout | undefined;
  let handle: WatchHandle | undefined;

  const line = (ev: WatchEvent) =>
    `${JSON.stringify({ type: ev.type, object: ev.type === "ERROR" || ev.type === "BOOKMARK" ? ev.object : encode(ev) })}\n`;
  const write = (text: string) => {
    if (ended) return;
    if (!started) early.push(text);
    else if (paused) held.push(text);
    else res.write(text);
  };

  const stream = {
    cluster: r.cluster,
    end: (abrupt: boolean) => finish(abrupt),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      if (!ended) for (const t of held.splice(0)) res.write(t);
    },
  };

  const finish = (abrupt: boolean) => {
    if (ended) return;
    ended = true;
    handle?.stop();
    for (const t of timers) clearTimeout(t);
    clearInterval(bookmarks);
    env.faults.untrack(stream);
    if (abrupt) res.destroy();
    else res.end();
  };

  const start = () => {
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked",
    });
    res.flushHeaders();
    started = true;
    for (const t of early.splice(0)) write(t);
  };

  try {
    handle = store.watchRaw(type, opts, (ev) => write(line(ev)));
  } catch (err) {
    if (!(err instanceof KubeError) || err.code !== 410) throw err;
    start();
    write(line({ type: "ERROR", object: err.toStatus() as unknown as Record<string, unknown> }));
    ended = true;
    res.end();
    return;
  }
  start();
  env.faults.track(stream);
  res.on("close", () => finish(true));
  req.on("close", () => finish(true));
  if (opts.allowWatchBookmarks) {
    bookmarks = setInterval(() => write(line(store.bookmark(type))), env.bookmarkIntervalMs);
  }
  if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds >= 0) {
    timers.push(setTimeout(() => finish(false), opts.timeoutSeconds * 1000));
  }
}
