// The one wrapper every route handler goes through: typed errors become JSON with their status,
// anything else a logged 500; query strings are parsed with zod. Role checks will go here.
import "server-only";
import type { z } from "zod";
import { AppError, BadInput } from "./errors";
import { log } from "./log";

export type Handler<Context> = (request: Request, context: Context) => unknown;

/** The JSON answer for a failure: `{ error }` with the AppError's status, else 500. */
export function errorResponse(error: unknown, request?: Request): Response {
  if (error instanceof AppError) {
    return Response.json({ error: error.message }, { status: error.status });
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
 * Wraps a handler: what it returns is sent as JSON (a Response is sent as is), what it throws is
 * mapped by errorResponse. Authentication is a later change; it belongs here, in one place.
 */
export function route<Context = unknown>(handler: Handler<Context>) {
  return async (request: Request, context: Context): Promise<Response> => {
    try {
      const result = await handler(request, context);
      if (result instanceof Response) return result;
      // Timelines change by the second: never let a cache answer for the database.
      return Response.json(result, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
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
