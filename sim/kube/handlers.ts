// The REST verbs on /api/v1/... and /apis/{group}/{version}/...: get, list, watch, create, update, patch, delete.
import {
  type ApiRequest,
  bodyForLog,
  decodeObjectBody,
  decodePatchBody,
  queryFlag,
  readBody,
  sendJson,
} from "./http-util";
import { servePodLog } from "./pod-log-handler";
import type { ResourcePath } from "./request-info";
import { pruneAndDefault } from "./schema";
import { KubeError, badRequest, methodNotAllowed, resourceNotFound } from "./status-errors";
import { negotiateAs, toTable } from "./table";
import type { KubeList, KubeObject, ResourceType, WatchEvent } from "./types";
import { serveWatch } from "./watch";
import type { WriteEntry } from "./write-log";

function partial(obj: KubeObject) {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

/** Encodes objects the way the Accept header asks: Table, PartialObjectMetadata(List) or as stored. */
function encoderFor(r: ApiRequest, type: ResourceType) {
  const as = negotiateAs(r.req.headers.accept);
  const includeObject = r.url.searchParams.get("includeObject") ?? undefined;
  return {
    one: (obj: KubeObject): unknown =>
      as === "Table"
        ? toTable(type, [obj], { includeObject, now: r.env.now() })
        : as
          ? partial(obj)
          : obj,
    list: (list: KubeList): unknown => {
      if (as === "Table")
        return toTable(type, list.items, {
          includeObject,
          now: r.env.now(),
          listMeta: list.metadata,
        });
      if (as)
        return {
          kind: "PartialObjectMetadataList",
          apiVersion: "meta.k8s.io/v1",
          metadata: list.metadata,
          items: list.items.map(partial),
        };
      return list;
    },
  };
}

function selectOptions(q: URLSearchParams, info: ResourcePath) {
  return {
    namespace: info.namespace,
    labelSelector: q.get("labelSelector") ?? undefined,
    fieldSelector: q.get("fieldSelector") ?? undefined,
  };
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/** fieldValidation: Strict rejects fields the schema would prune, Warn (the default) reports them in Warning headers. */
function checkUnknownFields(r: ApiRequest, type: ResourceType, body: unknown): void {
  const mode = (r.url.searchParams.get("fieldValidation") ?? "Warn").toLowerCase();
  if (!type.schema || mode === "ignore" || typeof body !== "object" || body === null) return;
  const removed: string[] = [];
  pruneAndDefault(structuredClone(body), type.schema, true, removed);
  if (!removed.length) return;
  if (mode === "strict") {
    throw badRequest(
      `strict decoding error: ${removed.map((f) => `unknown field "${f}"`).join(", ")}`,
    );
  }
  r.res.setHeader(
    "Warning",
    removed.map((f) => `299 - "unknown field \\"${f}\\""`),
  );
}

function isDryRun(q: URLSearchParams, deleteBody?: unknown): boolean {
  if (q.getAll("dryRun").includes("All")) return true;
  const fromBody = (deleteBody as { dryRun?: unknown } | undefined)?.dryRun;
  return Array.isArray(fromBody) && fromBody.includes("All");
}

async function write(
  r: ApiRequest,
  type: ResourceType,
  info: ResourcePath,
  verb: WriteEntry["verb"],
  run: (body: Buffer) => { code: number; result: unknown; patchType?: string; name?: string },
): Promise<void> {
  const body = await readBody(r.req);
  const entry: WriteEntry = {
    at: r.env.now().toISOString(),
    cluster: r.cluster,
    verb,
    kind: type.kind,
    apiVersion: type.apiVersion,
    resource: type.plural,
    namespace: info.namespace,
    name: info.name,
    subresource: info.subresource,
    user: r.user.user,
    groups: r.user.groups,
    impersonatedBy: r.user.impersonatedBy,
    dryRun: isDryRun(r.url.searchParams),
    body: bodyForLog(body),
    code: 0,
  };
  try {
    const out = run(body);
    entry.code = out.code;
    entry.patchType = out.patchType;
    entry.name ??= out.name;
    sendJson(r.res, out.code, out.result);
  } catch (err) {
    entry.code = err instanceof KubeError ? err.code : 500;
    throw err;
  } finally {
    r.env.writes.record(entry);
  }
}

/** Validating admission (sim/kube/admission.ts), on the object the write would store. */
function review(
  r: ApiRequest,
  type: ResourceType,
  verb: "update" | "patch",
  oldObject: KubeObject,
  object: KubeObject,
): void {
  r.env.admission?.review({ cluster: r.cluster, verb, type, user: r.user, oldObject, object });
}

/** The authorizer's verb of a resource request ("" when the method has none on that path). */
export function verbOf(method: string, info: ResourcePath, watch: boolean): string {
  switch (method) {
    case "GET":
      return info.name ? "get" : watch ? "watch" : "list";
    case "POST":
      return info.name ? "" : "create";
    case "PUT":
      return info.name ? "update" : "";
    case "PATCH":
      return info.name ? "patch" : "";
    case "DELETE":
      return info.name ? "delete" : "deletecollection";
    default:
      return "";
  }
}

export async function handleResource(r: ApiRequest, info: ResourcePath): Promise<void> {
  const type = r.store.registry.find(info.group, info.version, info.plural);
  if (!type || (info.namespace !== undefined && !type.namespaced)) throw resourceNotFound();
  const sub = info.subresource;
  if (
    sub !== undefined &&
    !((sub === "status" && type.subresources.status) || (sub === "log" && type.subresources.log))
  ) {
    throw resourceNotFound();
  }
  const q = r.url.searchParams;
  const verb = verbOf(r.req.method ?? "GET", info, info.watchPrefix || queryFlag(q, "watch"));
  if (
    !verb ||
    !type.verbs.includes(verb) ||
    (sub === "log" && verb !== "get") ||
    (info.watchPrefix && verb !== "watch")
  ) {
    throw methodNotAllowed();
  }
  if (verb === "create" && type.namespaced && info.namespace === undefined)
    throw methodNotAllowed();
  if (sub && verb !== "get" && verb !== "update" && verb !== "patch") throw methodNotAllowed();
  const ns = info.namespace;
  const store = r.store;
  const enc = encoderFor(r, type);
  const name = info.name ?? "";

  switch (verb) {
    case "get":
      if (sub === "log") return servePodLog(r, type, ns ?? "", name);
      return sendJson(r.res, 200, enc.one(store.get(type, ns, name)));
    case "list":
      return sendJson(
        r.res,
        200,
        enc.list(
          store.list(type, {
            ...selectOptions(q, info),
            limit: intParam(q, "limit"),
            continue: q.get("continue") ?? undefined,
            resourceVersion: q.get("resourceVersion") ?? undefined,
            resourceVersionMatch: q.get("resourceVersionMatch") ?? undefined,
          }),
        ),
      );
    case "watch":
      return serveWatch(
        r,
        type,
        {
          ...selectOptions(q, info),
          resourceVersion: q.get("resourceVersion") ?? undefined,
          sendInitialEvents: queryFlag(q, "sendInitialEvents"),
          allowWatchBookmarks: queryFlag(q, "allowWatchBookmarks"),
          timeoutSeconds: intParam(q, "timeoutSeconds"),
        },
        (ev: WatchEvent) => enc.one(ev.object as KubeObject),
      );
    case "create":
      return write(r, type, info, "create", (body) => {
        const obj = decodeObjectBody(r.req, body);
        checkUnknownFields(r, type, obj);
        const created = store.create(obj as KubeObject, {
          type,
          namespace: ns,
          dryRun: isDryRun(q),
        });
        return { code: 201, result: created, name: created.metadata.name };
      });
    case "update":
      return write(r, type, info, "update", (body) => {
        const obj = decodeObjectBody(r.req, body) as KubeObject;
        if (typeof obj !== "object" || obj === null)
          throw badRequest("the body of the request must be a JSON object");
        checkUnknownFields(r, type, obj);
        const bodyName = obj.metadata?.name;
        if (bodyName !== undefined && bodyName !== name) {
          throw badRequest(
            `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
          );
        }
        const withName = { ...obj, metadata: { ...obj.metadata, name } };
        if (r.env.admission?.has(type) && sub !== "status") {
          const next = store.update(withName, { type, namespace: ns, dryRun: true });
          review(r, type, "update", store.get(type, ns, name), next);
        }
        const updated = store.update(withName, {
          type,
          namespace: ns,
          dryRun: isDryRun(q),
          subresource: sub === "status" ? "status" : undefined,
        });
        return { code: 200, result: updated };
      });
    case "patch":
      return write(r, type, info, "patch", (body) => {
        const { patchType, patch } = decodePatchBody(r.req, body, type.custom);
        if (patchType === "merge") checkUnknownFields(r, type, patch);
        if (r.env.admission?.has(type) && sub !== "status") {
          const next = store.patch(type, ns, name, patchType, patch, { dryRun: true });
          review(r, type, "patch", store.get(type, ns, name), next);
        }
        const patched = store.patch(type, ns, name, patchType, patch, {
          dryRun: isDryRun(q),
          subresource: sub === "status" ? "status" : undefined,
        });
        return { code: 200, result: patched, patchType };
      });
    case "delete":
      return write(r, type, info, "delete", (body) => {
        const opts = body.length
          ? (decodeObjectBody(r.req, body) as {
              preconditions?: { uid?: string; resourceVersion?: string };
            })
          : {};
        const deleted = store.delete(type, ns, name, {
          dryRun: isDryRun(q, opts),
          preconditions: opts?.preconditions,
        });
        return { code: 200, result: deleted };
      });
    case "deletecollection":
      return write(r, type, info, "deletecollection", (body) => {
        const opts = body.length ? decodeObjectBody(r.req, body) : undefined;
        const list = store.deleteCollection(type, {
          ...selectOptions(q, info),
          dryRun: isDryRun(q, opts),
        });
        return { code: 200, result: list };
      });
  }
  throw methodNotAllowed();
}
