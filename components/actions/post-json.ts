// The browser's writes to the JSON API: a same-origin POST (the session cookie and the Origin
// header the server's cross-site check wants) whose error answer becomes an ApiError with the
// server's reason, so a 403 or 409 can be shown in the server's own words.
import { ApiError } from "@/lib/client/api";

export async function postJson<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json", "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // an empty or non-JSON answer: the status line says enough
  }
  if (!response.ok) {
    const reason = (parsed as { error?: unknown } | null)?.error;
    throw new ApiError(
      response.status,
      typeof reason === "string" ? reason : `${response.status} ${response.statusText}`.trim(),
    );
  }
  return parsed as T;
}

/** The words to show for a failed write: the server's reason, or what went wrong on the way. */
export function failureText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "You are signed out; sign in again and retry.";
    return error.message;
  }
  return error instanceof Error
    ? `The request did not go through (${error.message}).`
    : String(error);
}
