// A failed Kubernetes API call as Shiplog reports it: the HTTP status (0 when the API could not be
// reached) and the message of the Status object the API server answered with.
import * as k8s from "@kubernetes/client-node";

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

/** The message of an error body: a Status object (as JSON text or parsed), else its text. */
function bodyMessage(body: unknown): string | null {
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed?.message === "string") return parsed.message;
    } catch {
      // not JSON: the text itself
    }
    return body ? body.slice(0, 300) : null;
  }
  const message = (body as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : null;
}

/** Any error a client-node call throws, as a KubeApiError. */
export function kubeApiError(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  if (err instanceof k8s.ApiException)
    return new KubeApiError(err.code, bodyMessage(err.body) ?? `HTTP ${err.code}`);
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown } | undefined;
  const code = typeof e?.code === "number" ? e.code : e?.statusCode;
  if (typeof code === "number")
    return new KubeApiError(code, bodyMessage(e?.body) ?? `HTTP ${code}`);
  return new KubeApiError(0, err instanceof Error ? err.message : String(err));
}
