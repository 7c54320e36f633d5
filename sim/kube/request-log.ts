// Every authenticated request the API received, as Kubernetes' authorizer sees it: who asked, the
// verb (get, list, watch, create, update, patch, delete, deletecollection, impersonate), the API
// group, resource and subresource, or the path of a non-resource URL (discovery, /version).
// An impersonating request is two checks, as in the apiserver: `impersonate` on users (and on
// groups) for the token's user, then the request itself for the impersonated user.
import type { IncomingMessage } from "node:http";
import { verbOf } from "./handlers";
import { queryFlag } from "./http-util";
import type { ApiPath } from "./request-info";
import type { RequestUser } from "./types";

export interface RequestEntry {
  at: string;
  cluster: string;
  /** Who is authorized for this request: the impersonated user, else the token's user. */
  user: string;
  /** The token's user, for the request an impersonation made. */
  impersonatedBy?: string;
  verb: string;
  /** "" for the core group. Absent for non-resource URLs. */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A non-resource URL (/api, /apis/..., /version, /openapi/...). */
  path?: string;
}

export type RequestFilter = Partial<Pick<RequestEntry, "cluster" | "user" | "verb" | "resource">>;

/** The authorizer's attributes of one request: the impersonation checks first, then the request. */
export function requestAttributes(
  req: IncomingMessage,
  url: URL,
  path: ApiPath,
  pathname: string,
  cluster: string,
  user: RequestUser,
  at: string,
): RequestEntry[] {
  const out: RequestEntry[] = [];
  if (user.impersonatedBy) {
    const by = { at, cluster, user: user.impersonatedBy, verb: "impersonate", apiGroup: "" };
    out.push({ ...by, resource: "users", name: user.user });
    const sent = req.headers["impersonate-group"] !== undefined;
    if (sent) for (const group of user.groups) out.push({ ...by, resource: "groups", name: group });
  }
  const who = { at, cluster, user: user.user, impersonatedBy: user.impersonatedBy };
  if (path.kind !== "resource") {
    out.push({ ...who, verb: (req.method ?? "GET").toLowerCase(), path: pathname });
    return out;
  }
  const watch = path.watchPrefix || queryFlag(url.searchParams, "watch");
  out.push({
    ...who,
    verb: verbOf(req.method ?? "GET", path, watch) || (req.method ?? "GET").toLowerCase(),
    apiGroup: path.group,
    resource: path.plural,
    subresource: path.subresource,
    namespace: path.namespace,
    name: path.name,
  });
  return out;
}

export class RequestLog {
  private readonly list: RequestEntry[] = [];
  private readonly limit: number;

  constructor(limit = 100_000) {
    this.limit = limit;
  }

  record(...entries: RequestEntry[]): void {
    this.list.push(...entries);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
  }

  /** A copy of the entries, oldest first, optionally filtered. */
  entries(filter: RequestFilter = {}): RequestEntry[] {
    return this.list
      .filter((e) =>
        Object.entries(filter).every(
          ([k, v]) => v === undefined || e[k as keyof RequestEntry] === v,
        ),
      )
      .map((e) => ({ ...e }));
  }

  clear(): void {
    this.list.length = 0;
  }
}
