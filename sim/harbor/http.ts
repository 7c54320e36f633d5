// The HTTP face of the simulated Harbor: request parsing, routing, authentication and the
// response conventions of Harbor core (X-Request-Id, JSON bodies, the Errors body on failure).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { authenticate } from "./auth";
import type { HarborCore } from "./core";
import { HarborError, internalError, methodNotAllowed, notFound } from "./errors";
import { type HandlerResult, routes } from "./handlers";
import { decodePath, matchRoute } from "./router";
import type { Logger } from "./types";

export interface HttpDeps {
  core: HarborCore;
  username: string;
  password: string;
  now: () => Date;
  logger?: Logger;
}

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, requestId: string, result: HandlerResult) {
  const headers: Record<string, string> = { "X-Request-Id": requestId, ...result.headers };
  let body = "";
  if (result.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = `${JSON.stringify(result.json)}\n`;
  } else if (result.text !== undefined) {
    headers["Content-Type"] = "text/plain";
    body = result.text;
  }
  res.writeHead(result.status, headers);
  res.end(body);
}

function sendError(res: ServerResponse, requestId: string, error: HarborError) {
  res.writeHead(error.status, {
    "X-Request-Id": requestId,
    "Content-Type": "application/json; charset=utf-8",
    ...error.headers,
  });
  // lib/http.SendError writes the payload with Fprintln: a trailing newline
  res.end(`${JSON.stringify(error.body())}\n`);
}

export function createRequestListener(deps: HttpDeps): RequestListener {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const headerId = req.headers["x-request-id"];
    const requestId = (Array.isArray(headerId) ? headerId[0] : headerId) || randomUUID();
    try {
      const rawUrl = req.url ?? "/";
      const queryAt = rawUrl.indexOf("?");
      const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
      const query = new URLSearchParams(queryAt < 0 ? "" : rawUrl.slice(queryAt + 1));
      const method = (req.method ?? "GET").toUpperCase();
      const decodedPath = decodePath(rawPath);
      const match = matchRoute(routes, method, decodedPath);
      if (match.kind === "not-found") throw notFound(`path ${decodedPath} was not found`);
      if (match.kind === "method-not-allowed") throw methodNotAllowed(method, match.allowed);
      const body = await readBody(req);
      const viewer = authenticate(req.headers.authorization, deps);
      const result = match.route.handler({
        core: deps.core,
        viewer,
        params: match.params,
        query,
        rawPath,
        headers: req.headers,
        body,
        now: deps.now,
      });
      deps.logger?.({
        level: "debug",
        msg: "harbor request",
        method,
        path: rawPath,
        status: result.status,
      });
      send(res, requestId, result);
    } catch (err) {
      if (err instanceof HarborError) {
        deps.logger?.({
          level: "debug",
          msg: "harbor request failed",
          status: err.status,
          error: err.message,
        });
        sendError(res, requestId, err);
      } else {
        deps.logger?.({ level: "error", msg: "harbor request crashed", err: String(err) });
        sendError(res, requestId, internalError());
      }
    }
  };
  return (req, res) => {
    // a response that cannot be written (the client went away) must not take the simulator down
    handle(req, res).catch((err: unknown) => {
      deps.logger?.({ level: "warn", msg: "harbor response failed", err: String(err) });
      res.destroy();
    });
  };
}
