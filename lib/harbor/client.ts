// The one typed client for Harbor's REST API v2.0 (the only code that calls Harbor): basic auth, a timeout on
// every request, lib/errors.ts errors that name the path, and lists that follow Harbor's paging.
import { z } from "zod";
import { NotFound, Upstream } from "../errors";
import { issuesOf } from "../sources/result";
import {
  ACCEPT_VULNERABILITIES,
  apiUrl,
  describePath,
  harborRoot,
  listQuery,
  nextLink,
  paths,
  resolveLink,
  type PageOptions,
} from "./paths";
import {
  artifactSchema,
  errorsSchema,
  projectSchema,
  repositorySchema,
  systemInfoSchema,
  type HarborArtifact,
  type HarborProject,
  type HarborRepository,
} from "./schemas";

export type { HarborArtifact, HarborProject, HarborRepository } from "./schemas";

export type HarborClientOptions = {
  /** HARBOR_URL, e.g. https://harbor.example.com (a trailing /api/v2.0 is fine too). */
  url: string;
  username?: string;
  password?: string;
  /** Per request, body included. */
  timeoutMs?: number;
};

/** `signal` lets a caller that is stopping abandon a request; the abort is rethrown as is. */
export type CallOptions = { signal?: AbortSignal };
export type ListOptions = PageOptions & CallOptions;
export type ArtifactListOptions = ListOptions & { withTag?: boolean; withScanOverview?: boolean };

export type HarborSystemInfo = {
  /** The host image references use, e.g. harbor.example.com; null for anonymous callers. */
  registryUrl: string | null;
  harborVersion: string | null;
  signedIn: boolean;
};

const DEFAULT_TIMEOUT_MS = 10_000;

function withCause<E extends Error>(error: E, cause: unknown): E {
  error.cause = cause;
  return error;
}

/** fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause. */
function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** `errors[0].message` of Harbor's `Errors` body, when the body is one. */
function harborMessage(text: string): string | null {
  try {
    const parsed = errorsSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data.errors?.[0]?.message ?? null) : null;
  } catch {
    return null;
  }
}

export class HarborClient {
  /** Harbor's base URL as configured, without /api/v2.0. */
  readonly url: string;
  private readonly root: URL;
  private readonly username: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: HarborClientOptions) {
    this.root = harborRoot(options.url);
    // origin + path: credentials someone put in the URL stay out of messages and logs
    this.url = `${this.root.origin}${this.root.pathname.replace(/\/+$/, "")}`;
    this.username = options.username;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.headers = {
      accept: "application/json",
      "x-accept-vulnerabilities": ACCEPT_VULNERABILITIES,
    };
    if (options.username !== undefined) {
      const pair = `${options.username}:${options.password ?? ""}`;
      this.headers.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
    }
  }

  /** Harbor's host, the registry to assume when systeminfo does not name one. */
  get host(): string {
    return this.root.host;
  }

  async systemInfo(options: CallOptions = {}): Promise<HarborSystemInfo> {
    const url = apiUrl(this.root, paths.systemInfo());
    const info = this.check(systemInfoSchema, (await this.request(url, options.signal)).body, url);
    const registry = info.registry_url?.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
    return {
      registryUrl: registry || null,
      harborVersion: info.harbor_version ?? null,
      signedIn: typeof info.registry_url === "string",
    };
  }

  /**
   * systemInfo(), failing when configured credentials are not accepted. Harbor treats wrong
   * basic-auth credentials as an anonymous caller rather than answering 401, so listings would
   * quietly show public projects only; systeminfo's protected fields show who Harbor thinks we are.
   */
  async checkCredentials(options: CallOptions = {}): Promise<HarborSystemInfo> {
    const info = await this.systemInfo(options);
    if (this.username !== undefined && !info.signedIn)
      throw this.credentialsRefused(paths.systemInfo());
    return info;
  }

  listProjects(options: ListOptions = {}): AsyncGenerator<HarborProject> {
    const url = apiUrl(this.root, paths.projects(), listQuery(options));
    return this.list(url, projectSchema, options.signal);
  }

  /** The project's repositories; each `name` is the full `project/repository`. */
  listRepositories(project: string, options: ListOptions = {}): AsyncGenerator<HarborRepository> {
    const url = apiUrl(this.root, paths.repositories(project), listQuery(options));
    return this.list(url, repositorySchema, options.signal);
  }

  /** `repository` is the name inside the project (`team/app` in `shop/team/app`). */
  listArtifacts(
    project: string,
    repository: string,
    options: ArtifactListOptions = {},
  ): AsyncGenerator<HarborArtifact> {
    const query = listQuery({
      page: options.page,
      pageSize: options.pageSize,
      withTag: options.withTag ?? true,
      withScanOverview: options.withScanOverview ?? true,
    });
    const url = apiUrl(this.root, paths.artifacts(project, repository), query);
    return this.list(url, artifactSchema, options.signal);
  }

  /** One artifact by digest or tag, with its tags and scan overview. */
  async getArtifact(
    project: string,
    repository: string,
    reference: string,
    options: CallOptions = {},
  ): Promise<HarborArtifact> {
    const query = new URLSearchParams({ with_tag: "true", with_scan_overview: "true" });
    const url = apiUrl(this.root, paths.artifact(project, repository, reference), query);
    return this.check(artifactSchema, (await this.request(url, options.signal)).body, url);
  }

  /** Every item from `first` on, a page at a time, following `Link: <…>; rel="next"`. */
  private async *list<T>(
    first: URL,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): AsyncGenerator<T> {
    const page = z.array(schema).nullable();
    const visited = new Set<string>();
    let seen = 0;
    for (let url: URL | null = first; url;) {
      if (visited.has(url.href))
        throw new Upstream(`Harbor's paging came back to GET ${describePath(this.root, url)}`);
      visited.add(url.href);
      const { body, headers } = await this.request(url, signal);
      const items: T[] = this.check(page, body, url) ?? [];
      seen += items.length;
      yield* items;
      url = items.length === 0 ? null : this.nextPage(url, headers, seen);
    }
  }

  private nextPage(current: URL, headers: Headers, seen: number): URL | null {
    const link = nextLink(headers.get("link"));
    if (link) return resolveLink(this.root, link);
    // A proxy may drop Link; X-Total-Count still says whether items remain.
    const total = Number(headers.get("x-total-count") ?? Number.NaN);
    if (!(seen < total)) return null;
    const next = new URL(current);
    next.searchParams.set("page", String(Number(current.searchParams.get("page") ?? "1") + 1));
    return next;
  }

  private async request(
    url: URL,
    signal?: AbortSignal,
  ): Promise<{ body: unknown; headers: Headers }> {
    const path = describePath(this.root, url);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: this.headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted)
        throw withCause(
          new Upstream(`Harbor did not answer GET ${path} within ${this.timeoutMs} ms`),
          err,
        );
      throw withCause(
        new Upstream(`Harbor at ${this.url} is unreachable (GET ${path}): ${reasonOf(err)}`),
        err,
      );
    }
    if (!response.ok) throw this.failure(response.status, text, path);
    try {
      return { body: JSON.parse(text), headers: response.headers };
    } catch {
      throw new Upstream(
        `Harbor answered GET ${path} with a body that is not JSON: ${snippet(text)}`,
      );
    }
  }

  private failure(status: number, text: string, path: string): Error {
    if (status === 401) return this.credentialsRefused(path);
    const message = harborMessage(text);
    if (status === 404) return new NotFound(`Harbor: ${message ?? "not found"} (GET ${path})`);
    return new Upstream(
      `Harbor answered ${status} to GET ${path}: ${message ?? (snippet(text) || "no message")}`,
    );
  }

  private credentialsRefused(path: string): Upstream {
    return new Upstream(
      this.username === undefined
        ? `Harbor at ${this.url} wants credentials (GET ${path}): set HARBOR_USERNAME and HARBOR_PASSWORD`
        : `Harbor at ${this.url} refused the credentials of "${this.username}" (GET ${path}): check HARBOR_USERNAME and HARBOR_PASSWORD`,
    );
  }

  private check<T>(schema: z.ZodType<T>, body: unknown, url: URL): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issues = issuesOf(parsed.error).slice(0, 3).join("; ");
    throw new Upstream(
      `Harbor answered GET ${describePath(this.root, url)} with an unexpected body: ${issues}`,
    );
  }
}
