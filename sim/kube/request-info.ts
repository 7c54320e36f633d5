// Splits an apiserver path into what it addresses (k8s.io/apiserver RequestInfoFactory, reduced).

export interface ResourcePath {
  kind: "resource";
  group: string;
  version: string;
  /** Namespace from /namespaces/{ns}/..., for namespaced resources. */
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** The deprecated /watch/ path prefix was used. */
  watchPrefix: boolean;
}

export type ApiPath =
  | { kind: "root" }
  | { kind: "version" }
  | { kind: "health"; name: string }
  | { kind: "openapi"; rest: string[] }
  | { kind: "api" }
  | { kind: "apis" }
  | { kind: "group"; group: string }
  | { kind: "groupVersion"; group: string; version: string }
  | ResourcePath
  | { kind: "unknown" };

/** Subresources of namespaces, so /api/v1/namespaces/{name}/status is not a resource named "status". */
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

function resourcePath(group: string, version: string, parts: string[]): ApiPath {
  let rest = parts;
  let watchPrefix = false;
  if (rest[0] === "watch") {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3 || rest.some((p) => p === ""))
    return { kind: "unknown" };
  const [plural, name, subresource] = rest;
  return { kind: "resource", group, version, namespace, plural, name, subresource, watchPrefix };
}

export function parseApiPath(pathname: string): ApiPath {
  let parts: string[];
  try {
    parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return { kind: "unknown" };
  }
  if (parts.length === 0) return { kind: "root" };
  const [head, ...rest] = parts;
  switch (head) {
    case "version":
      return rest.length === 0 ? { kind: "version" } : { kind: "unknown" };
    case "healthz":
    case "livez":
    case "readyz":
      return { kind: "health", name: head };
    case "openapi":
      return { kind: "openapi", rest };
    case "api":
      if (rest.length === 0) return { kind: "api" };
      if (rest.length === 1) return { kind: "groupVersion", group: "", version: rest[0] };
      return resourcePath("", rest[0], rest.slice(1));
    case "apis":
      if (rest.length === 0) return { kind: "apis" };
      if (rest.length === 1) return { kind: "group", group: rest[0] };
      if (rest.length === 2) return { kind: "groupVersion", group: rest[0], version: rest[1] };
      return resourcePath(rest[0], rest[1], rest.slice(2));
    default:
      return { kind: "unknown" };
  }
}
