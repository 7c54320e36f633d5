// Harbor API v2.0 URLs, pure: names encoded the way Harbor's router wants them, list queries,
// and the `Link` header Harbor pages with.
import { BadInput, Upstream } from "../errors";

export const API_PREFIX = "/api/v2.0";

/** Harbor's swagger default for `X-Accept-Vulnerabilities`: it picks the scan_overview key. */
export const ACCEPT_VULNERABILITIES =
  "application/vnd.security.vulnerability.report; version=1.1, " +
  "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";

/** The configured Harbor URL without a trailing slash or `/api/v2.0`: what links resolve against. */
export function harborRoot(url: string): URL {
  const root = new URL(url);
  root.pathname = root.pathname.replace(/\/+$/, "").replace(/\/api\/v2\.0$/, "");
  root.search = "";
  root.hash = "";
  return root;
}

/** `project/a/b` → project `project`, repository `a/b`: API paths want the part after the project. */
export function splitRepositoryName(fullName: string): { project: string; repository: string } {
  const slash = fullName.indexOf("/");
  if (slash <= 0 || slash === fullName.length - 1)
    throw new BadInput(`not a Harbor repository name (project/repository): "${fullName}"`);
  return { project: fullName.slice(0, slash), repository: fullName.slice(slash + 1) };
}

function named(kind: string, value: string): string {
  if (value === "") throw new BadInput(`the Harbor ${kind} name is empty`);
  return value;
}

/** One path segment; `:` stays as it is so a digest reference reads like Harbor's own examples. */
function segment(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ":");
}

/**
 * Harbor decodes `repository_name` once more after routing, so `a/b` travels as `a%252Fb`;
 * encoded once, the `/` splits the path and no route matches.
 */
export function encodeRepositoryName(repository: string): string {
  return encodeURIComponent(encodeURIComponent(named("repository", repository)));
}

export const paths = {
  systemInfo: () => "/systeminfo",
  projects: () => "/projects",
  repositories: (project: string) => `/projects/${segment(named("project", project))}/repositories`,
  artifacts: (project: string, repository: string) =>
    `${paths.repositories(project)}/${encodeRepositoryName(repository)}/artifacts`,
  artifact: (project: string, repository: string, reference: string) =>
    `${paths.artifacts(project, repository)}/${segment(named("artifact reference", reference))}`,
};

export type PageOptions = { page?: number; pageSize?: number };

/** Harbor refuses a page_size over 100 (422); 100 keeps a walk to the fewest requests. */
export const MAX_PAGE_SIZE = 100;

export function listQuery(
  options: PageOptions & { withTag?: boolean; withScanOverview?: boolean },
): URLSearchParams {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) throw new BadInput(`page must be 1 or more: ${page}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw new BadInput(`page size must be 1 to ${MAX_PAGE_SIZE}: ${pageSize}`);
  const query = new URLSearchParams({ page: String(page), page_size: String(pageSize) });
  if (options.withTag !== undefined) query.set("with_tag", String(options.withTag));
  if (options.withScanOverview !== undefined)
    query.set("with_scan_overview", String(options.withScanOverview));
  return query;
}

/** A path prefix in front of Harbor (a proxy's), "" when Harbor sits at the root. */
function prefix(root: URL): string {
  return root.pathname.replace(/\/+$/, "");
}

/** The API URL for a path and query under a root from harborRoot(). */
export function apiUrl(root: URL, path: string, query?: URLSearchParams): URL {
  const url = new URL(root);
  url.pathname = `${prefix(root)}${API_PREFIX}${path}`;
  if (query) url.search = query.toString();
  return url;
}

/**
 * The `rel="next"` target of `Link: <…>; rel="prev" , <…>; rel="next"`, or null. Targets are
 * read up to `>`, since Harbor writes the query unescaped and it may hold commas.
 */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(match[2]);
    if (rel && rel[1].trim().split(/\s+/).includes("next")) return match[1];
  }
  return null;
}

/**
 * Where a link points. Harbor writes absolute paths (`/api/v2.0/…`); they resolve under the
 * configured root, which keeps a path prefix a proxy in front of Harbor may add. Any other
 * target must stay on Harbor's origin: the request carries the credentials.
 */
export function resolveLink(root: URL, link: string): URL {
  const target = link.startsWith(`${API_PREFIX}/`)
    ? new URL(`${prefix(root)}${link}`, root)
    : new URL(link, apiUrl(root, "/"));
  if (target.origin !== root.origin)
    throw new Upstream(`Harbor's Link header points away from ${root.origin}: ${target.origin}`);
  return target;
}

/** A request as logs and errors name it: the path under /api/v2.0 with its query. */
export function describePath(root: URL, url: URL): string {
  const base = `${prefix(root)}${API_PREFIX}`;
  const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
  return `${path}${url.search}`;
}
