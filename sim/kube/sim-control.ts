// /_sim/faults, /_sim/writes and /_sim/requests: the simulator's own controls over HTTP (JSON, no auth, never faulted).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Faults } from "./faults";
import { readBody, sendJson } from "./http-util";
import { KubeError, badRequest, methodNotAllowed } from "./status-errors";
import type { RequestFilter, RequestLog } from "./request-log";
import type { WriteEntry, WriteLog } from "./write-log";

interface FaultAction {
  action?: string;
  cluster?: string;
  count?: number;
  mode?: "error" | "hang";
  abrupt?: boolean;
}

function applyFault(faults: Faults, a: FaultAction): Record<string, unknown> {
  switch (a.action) {
    case "dropWatches":
      return { dropped: faults.dropWatches({ cluster: a.cluster, abrupt: a.abrupt }) };
    case "failNext":
      if (typeof a.count !== "number" || a.count < 1)
        throw badRequest("failNext needs a positive count");
      if (a.mode !== undefined && a.mode !== "error" && a.mode !== "hang")
        throw badRequest('mode is "error" or "hang"');
      faults.failNext(a.count, { mode: a.mode, cluster: a.cluster });
      return {};
    case "compact":
      faults.compact(a.cluster);
      return {};
    case "pause":
      faults.pause();
      return {};
    case "resume":
      faults.resume();
      return {};
    case "reset":
      faults.reset();
      return {};
    default:
      throw badRequest("action is one of dropWatches, failNext, compact, pause, resume, reset");
  }
}

/** An extra GET route under /_sim/ (e.g. the scenario's ground truth): returns the JSON body. */
export type ControlHandler = (req: IncomingMessage, url: URL) => unknown;

export async function handleSimControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: {
    faults: Faults;
    writes: WriteLog;
    requests?: RequestLog;
    controls?: Map<string, ControlHandler>;
  },
): Promise<void> {
  const method = req.method ?? "GET";
  if (url.pathname === "/_sim/faults") {
    if (method === "GET") return sendJson(res, 200, ctx.faults.state());
    if (method !== "POST") throw methodNotAllowed();
    let action: FaultAction;
    try {
      action = JSON.parse((await readBody(req)).toString("utf8")) as FaultAction;
    } catch {
      throw badRequest('body must be JSON: {"action": ...}');
    }
    const result = applyFault(ctx.faults, action ?? {});
    return sendJson(res, 200, { ...result, state: ctx.faults.state() });
  }
  if (url.pathname === "/_sim/writes") {
    if (method === "DELETE") {
      ctx.writes.clear();
      return sendJson(res, 200, []);
    }
    if (method !== "GET") throw methodNotAllowed();
    const q = url.searchParams;
    const filter: Partial<
      Pick<WriteEntry, "cluster" | "verb" | "kind" | "namespace" | "name" | "user">
    > = {};
    for (const k of ["cluster", "verb", "kind", "namespace", "name", "user"] as const) {
      const v = q.get(k);
      if (v !== null) (filter as Record<string, string>)[k] = v;
    }
    return sendJson(res, 200, ctx.writes.entries(filter));
  }
  if (url.pathname === "/_sim/requests" && ctx.requests) {
    if (method === "DELETE") {
      ctx.requests.clear();
      return sendJson(res, 200, []);
    }
    if (method !== "GET") throw methodNotAllowed();
    const filter: RequestFilter = {};
    for (const k of ["cluster", "user", "verb", "resource"] as const) {
      const v = url.searchParams.get(k);
      if (v !== null) filter[k] = v;
    }
    return sendJson(res, 200, ctx.requests.entries(filter));
  }
  const extra = ctx.controls?.get(url.pathname);
  if (extra) {
    if (method !== "GET") throw methodNotAllowed();
    return sendJson(res, 200, await extra(req, url));
  }
  const more = [...(ctx.controls?.keys() ?? [])].map((p) => `, GET ${p}`).join("");
  throw new KubeError(
    404,
    "NotFound",
    `simulator controls: GET|POST /_sim/faults, GET|DELETE /_sim/writes, GET|DELETE /_sim/requests${more}`,
  );
}
