// Discovery documents: /version, /api, /apis, /apis/{group}[/{version}], legacy and aggregated (apidiscovery.k8s.io/v2).
import { createHash } from "node:crypto";
import type { ResourceRegistry } from "./registry";
import type { ResourceType } from "./types";

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ["get", "patch", "update"],
  log: ["get"],
};

export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0-shiplog-sim",
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-01-01T00:00:00Z",
    goVersion: "go1.23.4",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function subresourcesOf(type: ResourceType): string[] {
  return Object.entries(type.subresources)
    .filter(([, on]) => on)
    .map(([name]) => name);
}

function storageVersionHash(type: ResourceType): string {
  return createHash("sha256")
    .update(`${type.apiVersion}/${type.kind}`)
    .digest()
    .subarray(0, 8)
    .toString("base64");
}

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(registry: ResourceRegistry, group: string) {
  const gv = registry.groupVersions().find((g) => g.group === group);
  if (!gv) return undefined;
  const versions = gv.versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = registry
    .groupVersions()
    .filter((g) => g.group !== "")
    .map((g) => groupEntry(registry, g.group)!);
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroup(registry: ResourceRegistry, group: string) {
  const entry = groupEntry(registry, group);
  return entry && group !== "" ? { kind: "APIGroup", apiVersion: "v1", ...entry } : undefined;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const types = registry.types.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap((t) => {
    const main: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames.length) main.shortNames = t.shortNames;
    if (t.categories.length) main.categories = t.categories;
    main.storageVersionHash = storageVersionHash(t);
    const subs = subresourcesOf(t).map((s) => ({
      name: `${t.plural}/${s}`,
      singularName: "",
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: SUBRESOURCE_VERBS[s],
    }));
    return [main, ...subs];
  });
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function discoveryResource(t: ResourceType) {
  const responseKind = { group: t.group, version: t.version, kind: t.kind };
  const entry: Record<string, unknown> = {
    resource: t.plural,
    responseKind,
    scope: t.namespaced ? "Namespaced" : "Cluster",
    singularResource: t.singular,
    verbs: t.verbs,
  };
  if (t.shortNames.length) entry.shortNames = t.shortNames;
  if (t.categories.length) entry.categories = t.categories;
  const subs = subresourcesOf(t);
  if (subs.length) {
    entry.subresources = subs.map((s) => ({
      subresource: s,
      responseKind,
      verbs: SUBRESOURCE_VERBS[s],
    }));
  }
  return entry;
}

/** The aggregated discovery document for /api (core group only) or /apis (all named groups). */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  root: "api" | "apis",
  version: string,
) {
  const items = registry
    .groupVersions()
    .filter((g) => (root === "api" ? g.group === "" : g.group !== ""))
    .map((g) => ({
      metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.types
          .filter((t) => t.group === g.group && t.version === v)
          .map(discoveryResource),
        freshness: "Current",
      })),
    }));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}

/**
 * Which aggregated discovery version an Accept header asks for ("v2", "v2beta1"), in the client's
 * order of preference; undefined when it only wants the legacy documents.
 */
export function negotiateAggregated(accept: string | undefined): string | undefined {
  for (const part of (accept ?? "").split(",")) {
    const params = new Map(
      part
        .split(";")
        .slice(1)
        .map((p) => p.trim().split("=") as [string, string]),
    );
    if (params.get("as") === "APIGroupDiscoveryList" && params.get("g") === "apidiscovery.k8s.io") {
      const v = params.get("v");
      if (v === "v2" || v === "v2beta1") return v;
    }
  }
  return undefined;
}

export function aggregatedContentType(version: string): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
