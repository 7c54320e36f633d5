// The REST endpoints: each reads its parameters the way go-swagger binds them, checks access
// as Harbor's handler does, and answers from the store in swagger shapes.
import type { IncomingHttpHeaders } from "node:http";
import { requireProjectAccess, type Viewer } from "./auth";
import type { HarborCore } from "./core";
import { HarborError, badRequest } from "./errors";
import {
  type Keyword,
  matchesKeyword,
  paginate,
  paginationLinks,
  parseQ,
  readBool,
  readPaging,
} from "./params";
import { type Route, decodeRepositoryName } from "./router";
import { overviewMimeType } from "./scan-summary";
import { apiTime } from "./time";
import type { ArtifactRecord } from "./types";
import { artifactJson, projectJson, repositoryJson, tagJson } from "./views";

export interface RequestContext {
  core: HarborCore;
  viewer: Viewer;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The path as the client sent it (still escaped): pagination links reuse it. */
  rawPath: string;
  headers: IncomingHttpHeaders;
  body: string;
  now: () => Date;
}

export interface HandlerResult {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => HandlerResult;

function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function listResult(
  ctx: RequestContext,
  items: unknown[],
  total: number,
  paging = readPaging(ctx.query),
) {
  const link = paginationLinks(ctx.rawPath, ctx.query, total, paging);
  return {
    status: 200,
    json: items,
    headers: { "X-Total-Count": String(total), ...(link ? { Link: link } : {}) },
  };
}

/** The project named in the path, after RequireProjectAccess. */
function projectOf(ctx: RequestContext, action: "read" | "write") {
  const name = ctx.params.project_name;
  return requireProjectAccess(ctx.viewer, ctx.core.store.project(name), name, action);
}

function repositoryNameOf(ctx: RequestContext) {
  return `${ctx.params.project_name}/${decodeRepositoryName(ctx.params.repository_name)}`;
}

const systemInfo: Handler = (ctx) => {
  const base = {
    auth_mode: "db_auth",
    banner_message: "",
    current_time: apiTime(ctx.now()),
    primary_auth_mode: false,
    self_registration: false,
  };
  if (!ctx.viewer.authenticated) return { status: 200, json: base };
  return {
    status: 200,
    json: {
      ...base,
      external_url: `http://${ctx.core.registry}`,
      harbor_version: "v2.11.0-shiplog-sim",
      has_ca_root: false,
      notification_enable: true,
      project_creation_restriction: "everyone",
      read_only: false,
      registry_storage_provider_name: "filesystem",
      registry_url: ctx.core.registry,
    },
  };
};

const listProjects: Handler = (ctx) => {
  const paging = readPaging(ctx.query);
  const keywords = parseQ(ctx.query.get("q"));
  // ?name= is a fuzzy match (ListProjects sets a FuzzyMatchValue)
  const name = ctx.query.get("name");
  if (name) keywords.set("name", { kind: "fuzzy", value: name });
  const byName = keywords.get("name");
  const onlyPublic = ctx.query.get("public") ? readBool(ctx.query, "public", false) : null;
  let projects = ctx.core.store
    .listProjects()
    .filter((p) => !byName || matchesKeyword(byName, p.name))
    .filter((p) => onlyPublic === null || p.public === onlyPublic);
  // anonymous callers only ever see public projects
  if (!ctx.viewer.authenticated) projects = projects.filter((p) => p.public);
  const viewer = { authenticated: ctx.viewer.authenticated, ownerName: ctx.core.username };
  const page = paginate(projects, paging).map((p) => projectJson(ctx.core.store, p, viewer));
  return listResult(ctx, page, projects.length, paging);
};

const getProject: Handler = (ctx) => {
  const raw = ctx.params.project_name_or_id;
  const asName = header(ctx, "X-Is-Resource-Name")?.toLowerCase() === "true";
  const byId = !asName && /^\d+$/.test(raw);
  const project = byId ? ctx.core.store.projectById(Number(raw)) : ctx.core.store.project(raw);
  const found = requireProjectAccess(ctx.viewer, project, raw, "read");
  const viewer = { authenticated: ctx.viewer.authenticated, ownerName: ctx.core.username };
  return { status: 200, json: projectJson(ctx.core.store, found, viewer) };
};

const listRepositories: Handler = (ctx) => {
  const paging = readPaging(ctx.query);
  const project = projectOf(ctx, "read");
  const byName = parseQ(ctx.query.get("q")).get("name");
  const repositories = ctx.core.store
    .listRepositories(project.id)
    .filter((r) => !byName || matchesKeyword(byName, r.name));
  const page = paginate(repositories, paging).map((r) => repositoryJson(ctx.core.store, r));
  return listResult(ctx, page, repositories.length, paging);
};

const getRepository: Handler = (ctx) => {
  projectOf(ctx, "read");
  const repository = ctx.core.store.requireRepository(repositoryNameOf(ctx));
  return { status: 200, json: repositoryJson(ctx.core.store, repository) };
};

/** The artifact list filters of `q`: tags (*, nil, exact, ~fuzzy), digest, type, media_type. */
function artifactFilter(ctx: RequestContext, keywords: Map<string, Keyword>) {
  return (artifact: ArtifactRecord) => {
    const tags = ctx.core.store.tagsOf(artifact.id).map((t) => t.name);
    for (const [key, keyword] of keywords) {
      if (key === "tags") {
        if (keyword.kind === "exact" && keyword.value === "*") {
          if (tags.length === 0) return false;
        } else if (keyword.kind === "exact" && keyword.value === "nil") {
          if (tags.length > 0) return false;
        } else if (!tags.some((t) => matchesKeyword(keyword, t))) return false;
      } else if (key === "digest" && !matchesKeyword(keyword, artifact.digest)) return false;
      else if (key === "type" && !matchesKeyword(keyword, "IMAGE")) return false;
      else if (key === "media_type" && !matchesKeyword(keyword, artifact.mediaType)) return false;
    }
    return true;
  };
}

function artifactView(ctx: RequestContext) {
  return {
    withTag: readBool(ctx.query, "with_tag", true),
    withScanOverview: readBool(ctx.query, "with_scan_overview", false),
    overviewMimeType: overviewMimeType(header(ctx, "X-Accept-Vulnerabilities")),
  };
}

const listArtifacts: Handler = (ctx) => {
  const paging = readPaging(ctx.query);
  projectOf(ctx, "read");
  const keywords = parseQ(ctx.query.get("q"));
  // Harbor lists by repository name without looking the repository up: unknown -> empty list
  const artifacts = ctx.core.store
    .listArtifacts(repositoryNameOf(ctx))
    .filter(artifactFilter(ctx, keywords));
  const view = artifactView(ctx);
  const page = paginate(artifacts, paging).map((a) =>
    artifactJson(ctx.core.store, ctx.core.scanner, a, view),
  );
  return listResult(ctx, page, artifacts.length, paging);
};

const getArtifact: Handler = (ctx) => {
  readPaging(ctx.query);
  projectOf(ctx, "read");
  const artifact = ctx.core.store.resolve(repositoryNameOf(ctx), ctx.params.reference);
  return {
    status: 200,
    json: artifactJson(ctx.core.store, ctx.core.scanner, artifact, artifactView(ctx)),
  };
};

const deleteArtifact: Handler = (ctx) => {
  const project = projectOf(ctx, "write");
  const repository = decodeRepositoryName(ctx.params.repository_name);
  ctx.core.deleteArtifact({
    project: project.name,
    repository,
    reference: ctx.params.reference,
    operator: ctx.viewer.username ?? undefined,
  });
  return { status: 200 };
};

/** The optional ScanType body: {"scan_type": "vulnerability" | "sbom"}. */
function readScanType(body: string): string {
  if (body.trim() === "") return "vulnerability";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw badRequest(`parsing scanType body from "" failed, because ${(err as Error).message}`);
  }
  const scanType = (parsed as { scan_type?: unknown } | null)?.scan_type ?? "vulnerability";
  if (scanType !== "vulnerability" && scanType !== "sbom") {
    throw new HarborError(
      422,
      "UNPROCESSABLE_ENTITY",
      "validation failure list:\nscanType.scan_type in body should be one of [vulnerability sbom]",
    );
  }
  return scanType;
}

const scanArtifact: Handler = (ctx) => {
  const scanType = readScanType(ctx.body);
  const project = projectOf(ctx, "write");
  if (scanType === "sbom") throw badRequest("the simulator does not generate SBOMs");
  ctx.core.scan({
    project: project.name,
    repository: decodeRepositoryName(ctx.params.repository_name),
    reference: ctx.params.reference,
    operator: ctx.viewer.username ?? undefined,
  });
  return { status: 202 };
};

const listTags: Handler = (ctx) => {
  const paging = readPaging(ctx.query);
  projectOf(ctx, "read");
  const byName = parseQ(ctx.query.get("q")).get("name");
  const artifact = ctx.core.store.resolve(repositoryNameOf(ctx), ctx.params.reference);
  const tags = ctx.core.store
    .tagsOf(artifact.id)
    .filter((t) => !byName || matchesKeyword(byName, t.name));
  return listResult(ctx, paginate(tags, paging).map(tagJson), tags.length, paging);
};

const ping: Handler = () => ({ status: 200, text: "Pong" });

const ARTIFACT = "/projects/:project_name/repositories/:repository_name/artifacts/:reference";

export const routes: Route<Handler>[] = [
  { method: "GET", pattern: "/ping", handler: ping },
  { method: "GET", pattern: "/systeminfo", handler: systemInfo },
  { method: "GET", pattern: "/projects", handler: listProjects },
  { method: "GET", pattern: "/projects/:project_name_or_id", handler: getProject },
  { method: "GET", pattern: "/projects/:project_name/repositories", handler: listRepositories },
  {
    method: "GET",
    pattern: "/projects/:project_name/repositories/:repository_name",
    handler: getRepository,
  },
  {
    method: "GET",
    pattern: "/projects/:project_name/repositories/:repository_name/artifacts",
    handler: listArtifacts,
  },
  { method: "GET", pattern: ARTIFACT, handler: getArtifact },
  { method: "DELETE", pattern: ARTIFACT, handler: deleteArtifact },
  { method: "POST", pattern: `${ARTIFACT}/scan`, handler: scanArtifact },
  { method: "GET", pattern: `${ARTIFACT}/tags`, handler: listTags },
];
