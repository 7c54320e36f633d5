// The e2e run's RBAC check: what Shiplog asked of the simulator's Kubernetes API (with its own
// token, apart from the specs' token) against the ClusterRole that deploy/install.yaml installs.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Simulator } from "../../sim";
import { clusterRoleRules, INSTALL_YAML, readManifests, root } from "./manifests";
import { compareRbac } from "./rbac";

/** The token Shiplog's kubeconfig carries: in a cluster, its ServiceAccount. */
export const SHIPLOG_TOKEN = {
  token: "shiplog-sim-token",
  user: { user: "system:serviceaccount:shiplog:shiplog", groups: ["system:authenticated"] },
};
/** The specs' own token, for the objects they create and read to set a scene up. */
export const TESTS_TOKEN = {
  token: "e2e-tests-token",
  user: { user: "e2e-tests", groups: ["system:authenticated"] },
};

/**
 * Prints what Shiplog's requests need and the ClusterRole grants; false when a request is denied,
 * or (everySpec: the whole suite ran and passed) when a grant went unused. The requests are
 * written to .shiplog/e2e-sim/requests.json for a person to read.
 */
export function checkShiplogRbac(sim: Simulator, options: { everySpec: boolean }): boolean {
  const all = sim.kube.requests.entries();
  writeFileSync(path.join(root, ".shiplog/e2e-sim/requests.json"), JSON.stringify(all, null, 1));
  const shiplog = all.filter((r) => r.user === SHIPLOG_TOKEN.user.user && !r.impersonatedBy);
  const asApprovers = all.filter((r) => r.impersonatedBy === SHIPLOG_TOKEN.user.user);
  const rules = clusterRoleRules(readManifests(INSTALL_YAML), "shiplog");
  const report = compareRbac(rules, shiplog);
  const out = process.stdout;
  out.write(
    `RBAC: ${shiplog.length} requests by ${SHIPLOG_TOKEN.user.user} (and ${asApprovers.length} made as an approver) against ClusterRole shiplog in deploy/install.yaml\n`,
  );
  for (const request of report.denied) out.write(`RBAC: denied by the ClusterRole: ${request}\n`);
  if (options.everySpec) {
    for (const grant of report.unused) out.write(`RBAC: granted but never used: ${grant}\n`);
  } else {
    out.write("RBAC: unused grants are checked when the whole suite runs and passes\n");
  }
  const ok = report.denied.length === 0 && (!options.everySpec || report.unused.length === 0);
  out.write(ok ? "RBAC: the ClusterRole matches what Shiplog does\n" : "RBAC: mismatch (above)\n");
  return ok;
}
