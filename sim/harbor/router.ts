// Request routing under /api/v2.0. The path is percent-decoded once before it is split into
// segments, as it reaches Harbor core (so "a%2Fb" becomes two segments and matches nothing);
// the handler decodes repository_name a second time (Harbor's unescapePathParams), which is
// why swagger asks for names with "/" to be encoded twice: "a/b" -> "a%252Fb".
import { badRequest } from "./errors";

export const API_BASE = "/api/v2.0";

export interface Route<H> {
  method: string;
  /** Segments after the base path; ":name" captures one segment. */
  pattern: string;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: "found"; route: Route<H>; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

/** Decodes the raw request path once; "%2F" turns into a real "/". */
export function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw badRequest(`invalid URL escape in ${rawPath}`);
  }
}

/** Splits like Go's path.Clean would leave it: no empty segments, no trailing slash. */
function segmentsOf(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

export function matchRoute<H>(
  routes: Route<H>[],
  method: string,
  decodedPath: string,
): RouteMatch<H> {
  if (decodedPath !== API_BASE && !decodedPath.startsWith(`${API_BASE}/`))
    return { kind: "not-found" };
  const segments = segmentsOf(decodedPath.slice(API_BASE.length));
  const allowed: string[] = [];
  for (const route of routes) {
    const pattern = segmentsOf(route.pattern);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((p, i) => {
      if (p.startsWith(":")) {
        params[p.slice(1)] = segments[i];
        return true;
      }
      return p === segments[i];
    });
    if (!fits) continue;
    if (route.method === method) return { kind: "found", route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
}

/** The second decoding of repository_name: "a%2Fb" -> "a/b". */
export function decodeRepositoryName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid repository name ${segment}`);
  }
}
