// The RBAC comparison on hand-made requests: what a ClusterRole denies, what it grants unused, and
// Kubernetes' matching of groups, subresources, names, wildcards and non-resource URLs.
import { describe, expect, it } from "vitest";
import { compareRbac, grantsOf, policyRuleSchema, ruleAllows, type PolicyRule } from "./rbac";

const rule = (r: Partial<PolicyRule> & { verbs: string[] }) => policyRuleSchema.parse(r);

const rules: PolicyRule[] = [
  rule({
    apiGroups: ["tekton.dev"],
    resources: ["pipelineruns"],
    verbs: ["list", "watch", "create"],
  }),
  rule({ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get"] }),
  rule({ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }),
];

describe("compareRbac", () => {
  it("reports nothing when every request is allowed and every grant used", () => {
    const report = compareRbac(rules, [
      { verb: "list", apiGroup: "tekton.dev", resource: "pipelineruns" },
      { verb: "watch", apiGroup: "tekton.dev", resource: "pipelineruns" },
      { verb: "create", apiGroup: "tekton.dev", resource: "pipelineruns" },
      { verb: "get", apiGroup: "", resource: "pods", name: "p" },
      { verb: "get", apiGroup: "", resource: "pods", subresource: "log", name: "p" },
      { verb: "impersonate", apiGroup: "", resource: "users", name: "alice" },
      { verb: "impersonate", apiGroup: "", resource: "groups", name: "release-managers" },
      { verb: "get", path: "/version" },
    ]);
    expect(report).toEqual({ denied: [], unused: [] });
  });

  it("names a request no rule allows, and the grants no request used", () => {
    const report = compareRbac(rules, [
      { verb: "list", apiGroup: "tekton.dev", resource: "pipelineruns" },
      { verb: "watch", apiGroup: "tekton.dev", resource: "pipelineruns" },
      // A write the role forgot, and a subresource it does not name.
      { verb: "patch", apiGroup: "tekton.dev", resource: "pipelineruns", name: "r1" },
      { verb: "get", apiGroup: "", resource: "pods", subresource: "exec", name: "p" },
      { verb: "get", apiGroup: "", resource: "pods", name: "p" },
      { verb: "impersonate", apiGroup: "", resource: "users", name: "alice" },
      { verb: "get", path: "/metrics" },
    ]);
    expect(report.denied).toEqual([
      "get /metrics",
      "get pods/exec",
      "patch pipelineruns.tekton.dev",
    ]);
    expect(report.unused).toEqual([
      "create pipelineruns.tekton.dev",
      "get pods/log",
      "impersonate groups",
    ]);
  });

  it("does not let a grant in one group allow the same resource in another", () => {
    const report = compareRbac(rules, [
      { verb: "list", apiGroup: "argoproj.io", resource: "pipelineruns" },
    ]);
    expect(report.denied).toEqual(["list pipelineruns.argoproj.io"]);
  });
});

describe("ruleAllows", () => {
  it("matches wildcards, */subresource and resourceNames as Kubernetes does", () => {
    const any = rule({ apiGroups: ["*"], resources: ["*"], verbs: ["*"] });
    expect(ruleAllows(any, { verb: "delete", apiGroup: "apps", resource: "deployments" })).toBe(
      true,
    );
    const statuses = rule({ apiGroups: ["tekton.dev"], resources: ["*/status"], verbs: ["patch"] });
    expect(
      ruleAllows(statuses, {
        verb: "patch",
        apiGroup: "tekton.dev",
        resource: "customruns",
        subresource: "status",
      }),
    ).toBe(true);
    expect(
      ruleAllows(statuses, { verb: "patch", apiGroup: "tekton.dev", resource: "customruns" }),
    ).toBe(false);
    const named = rule({
      apiGroups: [""],
      resources: ["users"],
      verbs: ["impersonate"],
      resourceNames: ["alice"],
    });
    expect(
      ruleAllows(named, { verb: "impersonate", apiGroup: "", resource: "users", name: "alice" }),
    ).toBe(true);
    expect(
      ruleAllows(named, { verb: "impersonate", apiGroup: "", resource: "users", name: "bob" }),
    ).toBe(false);
  });

  it("lists each grant of a rule once", () => {
    expect(grantsOf([rules[1], rules[1]])).toEqual([
      { apiGroup: "", resource: "pods", verb: "get" },
      { apiGroup: "", resource: "pods/log", verb: "get" },
    ]);
  });
});
