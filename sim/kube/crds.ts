// Loads the CustomResourceDefinitions in ./crds and turns each one's storage version into a served resource.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { KubeObject, PrinterColumn, ResourceType } from "./types";

export const CRD_DIR = fileURLToPath(new URL("./crds/", import.meta.url));

export const STANDARD_VERBS = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group: string;
  scope: "Namespaced" | "Cluster";
  names: {
    kind: string;
    plural: string;
    singular?: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
}

let memo: { key: string; docs: KubeObject[] } | undefined;

/**
 * Parses every CRD file in `crdDir`. The YAML is large (about 1 MB, ~1 s to parse), so the parsed
 * documents are cached as JSON in `cacheDir` under a content hash.
 */
export function loadCrdDocuments(cacheDir?: string, crdDir = CRD_DIR): KubeObject[] {
  const files = readdirSync(crdDir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  const hash = createHash("sha256");
  const texts = files.map((f) => {
    const text = readFileSync(path.join(crdDir, f), "utf8");
    hash.update(f).update("\0").update(text).update("\0");
    return text;
  });
  const key = hash.digest("hex").slice(0, 16);
  if (memo?.key === key) return memo.docs;

  const cacheFile = cacheDir ? path.join(cacheDir, `crds-${key}.json`) : undefined;
  let docs: KubeObject[] | undefined;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      docs = JSON.parse(readFileSync(cacheFile, "utf8")) as KubeObject[];
    } catch {
      docs = undefined;
    }
  }
  if (!docs) {
    docs = texts.flatMap((text) =>
      parseAllDocuments(text)
        .map((d) => d.toJS() as KubeObject | null)
        .filter((d): d is KubeObject => d?.kind === "CustomResourceDefinition"),
    );
    if (cacheFile && cacheDir) {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(docs));
      renameSync(tmp, cacheFile);
    }
  }
  memo = { key, docs };
  return docs;
}

/** The served resource for a CRD: its storage version (the simulator does not convert between versions). */
export function resourceTypeFromCrd(crd: KubeObject): ResourceType {
  const spec = crd.spec as CrdSpec;
  const version = spec.versions.find((v) => v.storage) ?? spec.versions.find((v) => v.served);
  if (!version) throw new Error(`CRD ${crd.metadata.name} has no served version`);
  const names = spec.names;
  return {
    group: spec.group,
    version: version.name,
    apiVersion: `${spec.group}/${version.name}`,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    namespaced: spec.scope === "Namespaced",
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: STANDARD_VERBS,
    subresources: { status: version.subresources?.status !== undefined, log: false },
    printerColumns: version.additionalPrinterColumns ?? [],
    schema: version.schema?.openAPIV3Schema,
    custom: true,
  };
}

/** The CRD object as the cluster serves it under apiextensions.k8s.io/v1 (with an Established status). */
export function crdObject(crd: KubeObject): KubeObject {
  const spec = crd.spec as CrdSpec;
  const storage = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name;
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: "True",
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: crd.metadata.name,
      labels: crd.metadata.labels,
      annotations: crd.metadata.annotations,
    },
    spec: crd.spec,
    status: {
      acceptedNames: spec.names,
      conditions: [
        condition("NamesAccepted", "NoConflicts", "no conflicts found"),
        condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
      ],
      storedVersions: storage ? [storage] : [],
    },
  };
}
