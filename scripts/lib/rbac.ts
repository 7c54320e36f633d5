// Compares a ClusterRole with the requests Shiplog really made to a Kubernetes API: every request
// must be allowed by one of its rules (Kubernetes RBAC matching), and every verb it grants on a
// resource must have been used by some request. Pure; the e2e run feeds it what the simulator saw.
import { z } from "zod";

export const policyRuleSchema = z.object({
  apiGroups: z.array(z.string()).default([]),
  resources: z.array(z.string()).default([]),
  verbs: z.array(z.string()).min(1),
  resourceNames: z.array(z.string()).default([]),
  nonResourceURLs: z.array(z.string()).default([]),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** One request's authorizer attributes (sim/kube/request-log.ts records them). */
export type AuthorizedRequest = {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** A non-resource URL, e.g. /version. */
  path?: string;
};

/** One verb on one resource (`pods/log` for a subresource) of one group, as a rule grants it. */
export type Grant = { apiGroup: string; resource: string; verb: string };

export type RbacReport = {
  /** Distinct requests no rule allows, e.g. `patch approvaltasks.openshift-pipelines.org`. */
  denied: string[];
  /** Distinct grants no request used. */
  unused: string[];
};

/**
 * Non-resource URLs every authenticated user may GET in a real cluster (the default
 * system:discovery and system:public-info-viewer ClusterRoles): not Shiplog's ClusterRole's to grant.
 */
const DEFAULT_NON_RESOURCE = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz"]
  .concat(["/version", "/version/", "/openapi", "/openapi/*"])
  .map((url) => ({
    apiGroups: [],
    resources: [],
    verbs: ["get"],
    resourceNames: [],
    nonResourceURLs: [url],
  }));

function resourceOf(request: AuthorizedRequest): string {
  return request.subresource
    ? `${request.resource}/${request.subresource}`
    : (request.resource ?? "");
}

/** `pods/log get` → "get pods/log" with its group: how a person reads a grant or a request. */
export function describeGrant(grant: Grant): string {
  return `${grant.verb} ${grant.resource}${grant.apiGroup ? `.${grant.apiGroup}` : ""}`;
}

function describeRequest(request: AuthorizedRequest): string {
  if (request.path !== undefined) return `${request.verb} ${request.path}`;
  return describeGrant({
    apiGroup: request.apiGroup ?? "",
    resource: resourceOf(request),
    verb: request.verb,
  });
}

function urlMatches(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === path) return true;
  return pattern.endsWith("*") && path.startsWith(pattern.slice(0, -1));
}

/** Kubernetes RBAC's rule matching (pkg/apis/rbac/v1/evaluation_helpers.go), for one request. */
export function ruleAllows(rule: PolicyRule, request: AuthorizedRequest): boolean {
  const verbOk = rule.verbs.includes("*") || rule.verbs.includes(request.verb);
  if (!verbOk) return false;
  if (request.path !== undefined) {
    return rule.nonResourceURLs.some((pattern) => urlMatches(pattern, request.path ?? ""));
  }
  const group = request.apiGroup ?? "";
  if (!rule.apiGroups.includes("*") && !rule.apiGroups.includes(group)) return false;
  const resource = resourceOf(request);
  const resourceOk = rule.resources.some(
    (r) =>
      r === "*" ||
      r === resource ||
      (request.subresource !== undefined && r === `*/${request.subresource}`),
  );
  if (!resourceOk) return false;
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(request.name ?? "");
}

/** Every (group, resource, verb) a rule list names, one entry each. */
export function grantsOf(rules: PolicyRule[]): Grant[] {
  const out = new Map<string, Grant>();
  for (const rule of rules) {
    for (const apiGroup of rule.apiGroups)
      for (const resource of rule.resources)
        for (const verb of rule.verbs) {
          const grant = { apiGroup, resource, verb };
          out.set(describeGrant(grant), grant);
        }
  }
  return [...out.values()];
}

/** What the requests need that the rules do not grant, and what the rules grant that none used. */
export function compareRbac(rules: PolicyRule[], requests: AuthorizedRequest[]): RbacReport {
  const denied = new Set<string>();
  const used = new Set<string>();
  for (const request of requests) {
    if (request.path !== undefined) {
      if (![...rules, ...DEFAULT_NON_RESOURCE].some((rule) => ruleAllows(rule, request)))
        denied.add(describeRequest(request));
      continue;
    }
    let allowed = false;
    for (const rule of rules) {
      if (!ruleAllows(rule, request)) continue;
      allowed = true;
      for (const grant of grantsOf([rule])) {
        if (
          ruleAllows(
            {
              ...rule,
              apiGroups: [grant.apiGroup],
              resources: [grant.resource],
              verbs: [grant.verb],
            },
            request,
          )
        )
          used.add(describeGrant(grant));
      }
    }
    if (!allowed) denied.add(describeRequest(request));
  }
  const unused = grantsOf(rules)
    .map(describeGrant)
    .filter((grant) => !used.has(grant));
  return { denied: [...denied].sort(), unused: unused.sort() };
}
