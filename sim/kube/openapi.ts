// /openapi/v3: an index of group-versions and one OpenAPI document per group-version, built from the
// registry. kubectl reads it to learn that the server validates fields itself (the fieldValidation
// parameter on PATCH), and that custom resources take JSON merge patch rather than strategic merge.
// /openapi/v2 is not served (404): kubectl only wants it as protobuf and tolerates its absence.
import { createHash } from "node:crypto";
import { type ApiRequest, sendJson } from "./http-util";
import type { ResourceRegistry } from "./registry";
import { resourceNotFound } from "./status-errors";
import type { ResourceType } from "./types";

type Doc = Record<string, unknown>;

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

const docs = new WeakMap<ResourceRegistry, Map<string, { doc: Doc; hash: string }>>();

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** The components.schemas name, e.g. dev.tekton.v1.PipelineRun (reversed group, like the apiserver). */
function schemaName(t: ResourceType): string {
  const group = t.group ? t.group.split(".").reverse().join(".") : "io.k8s.api.core";
  return `${group}.${t.version}.${t.kind}`;
}

function param(name: string, where: "query" | "path", type = "string") {
  return {
    name,
    in: where,
    ...(where === "path" ? { required: true } : {}),
    schema: { type, uniqueItems: true },
  };
}

const WRITE_PARAMS = [
  param("dryRun", "query"),
  param("fieldManager", "query"),
  param("fieldValidation", "query"),
];
const LIST_PARAMS = [
  "labelSelector",
  "fieldSelector",
  "continue",
  "resourceVersion",
  "resourceVersionMatch",
]
  .map((n) => param(n, "query"))
  .concat([
    param("limit", "query", "integer"),
    param("timeoutSeconds", "query", "integer"),
    param("watch", "query", "boolean"),
    param("allowWatchBookmarks", "query", "boolean"),
  ]);

function operations(t: ResourceType, item: boolean, sub: string | undefined): Doc {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(t)}` };
  const body = (types: string[]) => ({
    content: Object.fromEntries(types.map((c) => [c, { schema: ref }])),
    required: true,
  });
  const ok = { "200": { description: "OK", content: { "application/json": { schema: ref } } } };
  const op = (action: string, extra: Doc = {}) => ({
    operationId: `${action}${t.kind}${sub ? sub[0].toUpperCase() + sub.slice(1) : ""}`,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    responses: ok,
    ...extra,
  });
  const can = (v: string) => t.verbs.includes(v);
  const out: Doc = {};
  if (!item) {
    if (can("list")) out.get = op("list", { parameters: LIST_PARAMS });
    if (can("create") && !sub)
      out.post = op("post", { parameters: WRITE_PARAMS, requestBody: body(["application/json"]) });
    return out;
  }
  if (sub === "log")
    return {
      get: op("connect", {
        parameters: [param("container", "query"), param("follow", "query", "boolean")],
      }),
    };
  if (can("get")) out.get = op("get");
  if (can("update"))
    out.put = op("put", { parameters: WRITE_PARAMS, requestBody: body(["application/json"]) });
  if (can("patch")) {
    out.patch = op("patch", {
      parameters: [...WRITE_PARAMS, param("force", "query", "boolean")],
      requestBody: body([
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/apply-patch+yaml",
      ]),
    });
  }
  if (can("delete") && !sub) out.delete = op("delete", { parameters: [param("dryRun", "query")] });
  return out;
}

function buildDoc(registry: ResourceRegistry, group: string, version: string): Doc {
  const types = registry.types.filter((t) => t.group === group && t.version === version);
  const paths: Doc = {};
  const schemas: Doc = {
    [OBJECT_META]: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    [STATUS]: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  };
  for (const t of types) {
    const base = `/${gvPath(group, version)}`;
    const ns = t.namespaced ? "/namespaces/{namespace}" : "";
    const pathParams = t.namespaced ? [param("namespace", "path")] : [];
    const collection = `${base}${ns}/${t.plural}`;
    paths[collection] = { ...operations(t, false, undefined), parameters: pathParams };
    if (t.namespaced) paths[`${base}/${t.plural}`] = operations(t, false, undefined);
    const itemParams = [...pathParams, param("name", "path")];
    paths[`${collection}/{name}`] = { ...operations(t, true, undefined), parameters: itemParams };
    for (const sub of ["status", "log"] as const) {
      if (t.subresources[sub])
        paths[`${collection}/{name}/${sub}`] = {
          ...operations(t, true, sub),
          parameters: itemParams,
        };
    }
    const schema: Doc = structuredClone(
      t.schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    );
    const props = (schema.properties ?? {}) as Doc;
    schema.properties = {
      ...props,
      metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }] },
    };
    schema["x-kubernetes-group-version-kind"] = [{ group, version, kind: t.kind }];
    schemas[schemaName(t)] = schema;
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas },
  };
}

function docFor(registry: ResourceRegistry, group: string, version: string) {
  let cache = docs.get(registry);
  if (!cache) docs.set(registry, (cache = new Map()));
  const key = gvPath(group, version);
  let entry = cache.get(key);
  if (!entry) {
    const doc = buildDoc(registry, group, version);
    const hash = createHash("sha512")
      .update(JSON.stringify(doc))
      .digest("hex")
      .slice(0, 128)
      .toUpperCase();
    cache.set(key, (entry = { doc, hash }));
  }
  return entry;
}

export function serveOpenApi(r: ApiRequest, rest: string[]): void {
  const registry = r.store.registry;
  if (rest[0] !== "v3") throw resourceNotFound();
  if (rest.length === 1) {
    const paths: Doc = {};
    for (const g of registry.groupVersions()) {
      for (const v of g.versions) {
        const p = gvPath(g.group, v);
        // Server-relative, without the cluster prefix: clients add their own (kubernetes#117463).
        paths[p] = {
          serverRelativeURL: `/openapi/v3/${p}?hash=${docFor(registry, g.group, v).hash}`,
        };
      }
    }
    return sendJson(r.res, 200, { paths });
  }
  const [, root, ...gv] = rest;
  const group = root === "api" ? "" : gv[0];
  const version = root === "api" ? gv[0] : gv[1];
  const expected = root === "api" ? 1 : 2;
  if (
    (root !== "api" && root !== "apis") ||
    gv.length !== expected ||
    !registry.hasGroupVersion(group, version)
  ) {
    throw resourceNotFound();
  }
  sendJson(r.res, 200, docFor(registry, group, version).doc);
}
