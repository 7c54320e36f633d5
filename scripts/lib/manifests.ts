// Reads Kubernetes manifests (multi-document YAML) and picks objects out of them: what the deploy
// tests and the e2e run's RBAC check read deploy/install.yaml with.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { policyRuleSchema, type PolicyRule } from "./rbac";

export const root = path.resolve(import.meta.dirname, "../..");
/** The single-file install, rendered from deploy/base by `npm run deploy:render`. */
export const INSTALL_YAML = path.join(root, "deploy/install.yaml");

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

/** Every non-empty document of a YAML stream; throws naming the first one that does not parse. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc, index) => {
      if (doc.errors.length) throw new Error(`document ${index + 1}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((doc): doc is Manifest => doc !== null);
}

export function readManifests(file: string): Manifest[] {
  return parseManifests(readFileSync(file, "utf8"));
}

export function findManifest(docs: Manifest[], kind: string, name: string): Manifest {
  const found = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the manifests`);
  return found;
}

/** The rules of the named ClusterRole, validated. */
export function clusterRoleRules(docs: Manifest[], name: string): PolicyRule[] {
  const role = findManifest(docs, "ClusterRole", name);
  return policyRuleSchema.array().parse(role.rules ?? []);
}
