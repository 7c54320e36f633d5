// Request/response plumbing shared by the simulator's HTTP handlers.
import type { Admission } from "./admission";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import type { Faults } from "./faults";
import { KubeError, badRequest, unsupportedMediaType } from "./status-errors";
import type { Store } from "./store";
import type { RequestUser } from "./types";
import type { RequestLog } from "./request-log";
import type { WriteLog } from "./write-log";

/** The apiserver's default request body limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface ServerEnv {
  faults: Faults;
  writes: WriteLog;
  /** Every authenticated request, as the authorizer sees it (optional). */
  requests?: RequestLog;
  /** Validating admission hooks (optional; none by default). */
  admission?: Admission;
  bookmarkIntervalMs: number;
  now: () => Date;
  /** host:port, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
}

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  cluster: string;
  /** The cluster's path prefix, e.g. "/clusters/staging". */
  prefix: string;
  store: Store;
  env: ServerEnv;
  user: RequestUser;
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = "application/json",
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-cache, private",
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: KubeError): void {
  sendJson(res, err.code, err.toStatus());
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(
          new KubeError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** Decodes a create/update body (JSON or YAML); malformed input is a 400 like the apiserver's decoder gives. */
export function decodeObjectBody(req: IncomingMessage, body: Buffer): unknown {
  const type = mediaType(req);
  const text = body.toString("utf8");
  if (type === "" || type === "application/json" || type === "*/*") {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  }
  if (type === "application/yaml") {
    try {
      return parseYaml(text);
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  }
  throw unsupportedMediaType(type, ["application/json", "application/yaml"]);
}

export const PATCH_TYPES: Record<string, "merge" | "json" | "strategic" | "apply"> = {
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
  "application/apply-patch+cbor": "apply",
};

/** The patch type from Content-Type, and the decoded patch document. */
export function decodePatchBody(
  req: IncomingMessage,
  body: Buffer,
  custom: boolean,
): { patchType: "merge" | "json" | "strategic" | "apply"; patch: unknown } {
  const type = mediaType(req);
  const patchType = PATCH_TYPES[type];
  if (!patchType) {
    const accepted = [
      "application/json-patch+json",
      "application/merge-patch+json",
      "application/apply-patch+yaml",
    ];
    if (!custom) accepted.splice(2, 0, "application/strategic-merge-patch+json");
    throw unsupportedMediaType(type, accepted);
  }
  if (patchType === "apply") return { patchType, patch: body.toString("utf8") };
  try {
    return { patchType, patch: JSON.parse(body.toString("utf8")) };
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** The body as the write log stores it: parsed JSON when possible, else the text. */
export function bodyForLog(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function queryFlag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === "1" || v === "true";
}
