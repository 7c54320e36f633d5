// Kubernetes `Status` errors: one error class and builders that match the real apiserver's wording.
import type { ResourceType } from "./types";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
  code: number;
}

export class KubeError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusBody["details"];

  constructor(code: number, reason: string, message: string, details?: StatusBody["details"]) {
    super(message);
    this.name = "KubeError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** "pipelineruns.tekton.dev" or "pods": how the apiserver names a resource in messages. */
export function qualifiedResource(type: Pick<ResourceType, "plural" | "group">): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export function notFound(type: Pick<ResourceType, "plural" | "group">, name: string): KubeError {
  return new KubeError(404, "NotFound", `${qualifiedResource(type)} "${name}" not found`, {
    name,
    group: type.group || undefined,
    kind: type.plural,
  });
}

export function namespaceNotFound(namespace: string): KubeError {
  return new KubeError(404, "NotFound", `namespaces "${namespace}" not found`, {
    name: namespace,
    kind: "namespaces",
  });
}

export function resourceNotFound(): KubeError {
  return new KubeError(404, "NotFound", "the server could not find the requested resource", {});
}

export function alreadyExists(type: ResourceType, name: string): KubeError {
  return new KubeError(
    409,
    "AlreadyExists",
    `${qualifiedResource(type)} "${name}" already exists`,
    {
      name,
      group: type.group || undefined,
      kind: type.plural,
    },
  );
}

export function conflict(type: ResourceType, name: string, detail?: string): KubeError {
  const why =
    detail ??
    "the object has been modified; please apply your changes to the latest version and try again";
  return new KubeError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`,
    {
      name,
      group: type.group || undefined,
      kind: type.plural,
    },
  );
}

export function invalid(type: ResourceType, name: string, causes: StatusCause[]): KubeError {
  const kindName = type.group ? `${type.kind}.${type.group}` : type.kind;
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : String(c.message)));
  const summary = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return new KubeError(422, "Invalid", `${kindName} "${name}" is invalid: ${summary}`, {
    name,
    group: type.group || undefined,
    kind: type.kind,
    causes: causes.map((c) => ({
      reason: c.reason ?? "FieldValueInvalid",
      message: c.message,
      field: c.field,
    })),
  });
}

export function badRequest(message: string): KubeError {
  return new KubeError(400, "BadRequest", message);
}

export function methodNotAllowed(): KubeError {
  return new KubeError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
    {},
  );
}

export function unsupportedMediaType(contentType: string, accepted: string[]): KubeError {
  return new KubeError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    {
      causes: [
        {
          reason: "UnsupportedMediaType",
          message: `unsupported media type ${JSON.stringify(contentType)}`,
        },
      ],
    },
  );
}

/** What a watch (or list) gets for a resourceVersion older than the retained history. */
export function expired(message: string): KubeError {
  return new KubeError(410, "Expired", message);
}

export function unauthorized(): KubeError {
  return new KubeError(401, "Unauthorized", "Unauthorized");
}

export function internalError(message: string): KubeError {
  return new KubeError(500, "InternalError", `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function toKubeError(err: unknown): KubeError {
  if (err instanceof KubeError) return err;
  return internalError(err instanceof Error ? err.message : String(err));
}
