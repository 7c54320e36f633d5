// The browser's reads of the JSON API: one fetch that passes the query's AbortSignal, sends the
// session cookie and turns an error answer into an ApiError carrying the server's reason.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Builds `path?key=value…` from the defined, non-empty values only. */
export function withQuery(path: string, params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

async function reasonOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string") return body.error;
  } catch {
    // not JSON: fall back to the status line
  }
  return `${response.status} ${response.statusText}`.trim();
}

export async function fetchJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    signal,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    cache: "no-store",
  });
  if (!response.ok) throw new ApiError(response.status, await reasonOf(response));
  return (await response.json()) as T;
}

export async function fetchText(
  url: string,
  signal: AbortSignal,
): Promise<{ text: string; source: string | null }> {
  const response = await fetch(url, { signal, credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new ApiError(response.status, await reasonOf(response));
  return { text: await response.text(), source: response.headers.get("X-Shiplog-Log-Source") };
}

/** Not worth retrying: the answer will not change by asking again. */
export function retryable(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}
