// Harbor's error responses: status code plus the swagger `Errors` body
// {"errors":[{"code":"NOT_FOUND","message":"..."}]} (src/lib/http/error.go, src/lib/errors/const.go).

export type HarborErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "UNPROCESSABLE_ENTITY"
  | "UNKNOWN";

export interface HarborErrorsBody {
  errors: Array<{ code: string; message: string }>;
}

export class HarborError extends Error {
  constructor(
    readonly status: number,
    readonly code: HarborErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HarborError";
  }

  body(): HarborErrorsBody {
    return { errors: [{ code: this.code, message: this.message }] };
  }
}

export const notFound = (message: string) => new HarborError(404, "NOT_FOUND", message);
export const badRequest = (message: string) => new HarborError(400, "BAD_REQUEST", message);
export const unauthorized = () => new HarborError(401, "UNAUTHORIZED", "unauthorized");
export const forbidden = () => new HarborError(403, "FORBIDDEN", "forbidden");
export const conflict = (message: string) => new HarborError(409, "CONFLICT", message);

/** go-swagger parameter validation: a CompositeValidationError (422) listing every failure. */
export function validationFailure(failures: string[]): HarborError {
  return new HarborError(
    422,
    "UNPROCESSABLE_ENTITY",
    ["validation failure list:", ...failures].join("\n"),
  );
}

/** go-openapi router: the path exists but not for this method. */
export function methodNotAllowed(method: string, allowed: string[]): HarborError {
  return new HarborError(
    405,
    "METHOD_NOT_ALLOWED",
    `method ${method} is not allowed, but [${allowed.join(",")}] are`,
    { Allow: allowed.join(",") },
  );
}

/** What a 5xx looks like to the client: the detail stays in the server log. */
export const internalError = () => new HarborError(500, "UNKNOWN", "internal server error");
