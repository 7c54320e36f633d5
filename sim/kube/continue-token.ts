// List continue tokens: the resourceVersion of the first page and the last key returned.
import { badRequest, expired } from "./status-errors";

export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: lastKey })).toString(
    "base64",
  );
}

/** Decodes a token; 400 when it is not one, 410 Expired when its snapshot left the history. */
export function decodeContinue(
  token: string,
  oldestAvailable: number,
): { rv: number; start: string } {
  let parsed: { rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as typeof parsed;
  } catch {
    throw badRequest(`continue key is not valid: ${token}`);
  }
  if (typeof parsed.rv !== "number" || typeof parsed.start !== "string") {
    throw badRequest(`continue key is not valid: ${token}`);
  }
  if (parsed.rv < oldestAvailable) {
    throw expired(
      "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
    );
  }
  return { rv: parsed.rv, start: parsed.start };
}
