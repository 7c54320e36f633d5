// The one wrapper every route handler goes through: the role check (lib/auth/guard.ts), typed
// errors as JSON with their status, anything else a logged 500; query strings parsed with zod.
import "server-only";
import type { z } from "zod";
import { requireRole } from "./auth/guard";
import type { Principal } from "./auth/principal";
import type { Role } from "./auth/roles";
import { strictTransportSecurity } from "./auth/security-headers.mjs";
import { config } from "./config";
import { AppError, BadInput, UnsupportedMediaType, Unauthorized } from "./errors";
import { log } from "./log";
import { readLimited } from "./request-body";

export type Handler<Context> = (request: Request, context: Context) => unknown;
export type GuardedHandler<Context> = (
  request: Request,
  context: Context,
  principal: Principal,
) => unknown;

/** The JSON answer for a failure: `{ error }` with the AppError's status, else 500. */
export function errorResponse(error: unknown, request?: Request): Response {
  if (error instanceof AppError) {
    const headers: HeadersInit =
      error instanceof Unauthorized ? { "WWW-Authenticate": 'Bearer realm="shiplog"' } : {};
    return Response.json({ error: error.message }, { status: error.status, headers });
  }
  log.error(
    {
      err: error,
      method: request?.method,
      path: request ? new URL(request.url).pathname : undefined,
    },
    "request failed",
  );
  return Response.json({ error: "internal error" }, { status: 500 });
}

/**
 * Wraps a handler: with `{ role }` the caller must hold that role (requireRole) before the
 * handler runs and is handed to it; without options the route is public (health, OpenAPI).
 * What the handler returns is sent as JSON (a Response is sent as is), what it throws is mapped
 * by errorResponse.
 */
export function route<Context = unknown>(
  handler: Handler<Context>,
): (request: Request, context: Context) => Promise<Response>;
export function route<Context = unknown>(
  options: { role: Role },
  handler: GuardedHandler<Context>,
): (request: Request, context: Context) => Promise<Response>;
export function route<Context = unknown>(
  first: Handler<Context> | { role: Role },
  second?: GuardedHandler<Context>,
) {
  return async (request: Request, context: Context): Promise<Response> => {
    const response = await answer(request, context);
    const hsts = strictTransportSecurity(config().auth.url);
    // A handler may hand back a Response whose headers cannot change; it goes out as it is.
    if (hsts) {
      try {
        response.headers.set(hsts.key, hsts.value);
      } catch {}
    }
    return response;
  };
  async function answer(request: Request, context: Context): Promise<Response> {
    try {
      let result: unknown;
      if (typeof first === "function") {
        result = await first(request, context);
      } else if (second) {
        const principal = await requireRole(request, first.role);
        result = await second(request, context, principal);
      } else {
        throw new Error("route({ role }) needs a handler");
      }
      if (result instanceof Response) return result;
      // Timelines change by the second: never let a cache answer for the database.
      return Response.json(result, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return errorResponse(error, request);
    }
  }
}

/** A JSON body that is already text (a stored timeline), sent as route() sends objects. */
export function jsonText(body: string): Response {
  return new Response(body, {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

/** `name: problem` for the first issue, the way a person fixes a query string. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid query";
  if (issue.code === "unrecognized_keys") {
    return `unknown query parameter${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  }
  const path = issue.path.join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * The query string through `schema`. Empty values (`?app=`) count as absent, so a client may send
 * every parameter of a form; a repeated parameter is refused rather than silently picked.
 */
export function parseQuery<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): z.infer<Schema> {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (seen.has(key)) throw new BadInput(`query parameter ${key} is given more than once`);
    seen.add(key);
    if (value !== "") raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadInput(describeIssues(parsed.error));
  return parsed.data;
}

export const MAX_JSON_BODY = 64 * 1024;

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/**
 * A small JSON request body through `schema`: 415 unless it is sent as application/json, 413 as
 * soon as more than MAX_JSON_BODY bytes arrive (reading stops there), 400 with the first problem.
 */
export async function parseJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  if (!isJson(request.headers.get("content-type"))) {
    throw new UnsupportedMediaType(
      "send the request body as JSON with the header Content-Type: application/json",
    );
  }
  const text = (await readLimited(request, MAX_JSON_BODY)).toString("utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BadInput("the request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".");
    if (issue?.code === "unrecognized_keys") {
      throw new BadInput(
        `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`,
      );
    }
    throw new BadInput(path ? `${path}: ${issue.message}` : (issue?.message ?? "invalid body"));
  }
  return parsed.data;
}
