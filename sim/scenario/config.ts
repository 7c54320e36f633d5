// The scenario's settings: which apps exist, how often commits land, how long each step takes
// (before the time scale) and how often things fail. Defaults are the demo's.

export type GateFlavour = "shiplog" | "approvaltask";
export type DecideGates = "never" | "approve" | "reject";

export interface AppConfig {
  name: string;
  /** Web URL of the app repository, e.g. https://gitlab.example.com/shop/payments. */
  repoUrl: string;
  /** Clone URL (what kpack is given), the web URL plus ".git". */
  gitUrl: string;
  /** GitLab project id in push hooks. */
  projectId: number;
  description: string;
  /** The production approval gate: Shiplog's Approval custom task or openshift-pipelines' ApprovalTask. */
  gate: GateFlavour;
}

export interface FailureRates {
  /** A kpack Build fails in its build step. */
  build: number;
  /** A BUILDPACK/STACK rebuild of the same revision follows a successful build. */
  rebuild: number;
  /** The scan finds critical vulnerabilities. */
  scanCritical: number;
  /** The scanner errors out. */
  scanFailure: number;
  /** An Argo CD sync fails. */
  syncFailure: number;
  /** A synced deploy goes Degraded instead of Healthy. */
  degraded: number;
  /** The E2E verify run fails. */
  test: number;
}

/** Base durations in milliseconds, multiplied by the time scale. */
export interface Durations {
  buildPodStart: number;
  buildStep: number;
  scan: number;
  trigger: number;
  taskPodStart: number;
  taskStep: number;
  gateDecision: number;
  argoRefresh: number;
  syncRunning: number;
  progressing: number;
  testStep: number;
  /** After a successful build, when a BUILDPACK/STACK rebuild comes (if one does). */
  rebuildDelay: number;
}

export interface ScenarioConfig {
  seed: number;
  apps: AppConfig[];
  environments: string[];
  /** The cluster kpack (and so the builds) runs in. */
  buildCluster: string;
  /** Registry host in image references, e.g. harbor.shiplog.test. */
  registry: string;
  harborProject: string;
  gitHost: string;
  manifestsRepo: string;
  /** Between two commits (of any app), before the time scale. */
  commitIntervalMs: number;
  onlyCommits: number | null;
  rates: FailureRates;
  durations: Durations;
  decideGates: DecideGates;
  approvers: string[];
  /** Finished PipelineRuns the Tekton pruner keeps per pipeline and namespace. */
  keepPipelineRuns: number;
}

export const DEFAULT_APP_NAMES = [
  "payments",
  "storefront",
  "search",
  "inventory",
  "checkout",
  "accounts",
  "notifications",
  "shipping",
];

const DESCRIPTIONS: Record<string, string> = {
  payments: "Payment service",
  storefront: "Customer-facing web shop",
  search: "Product search API",
};

export const DEFAULT_RATES: FailureRates = {
  build: 0.1,
  rebuild: 0.15,
  scanCritical: 0.2,
  scanFailure: 0.02,
  syncFailure: 0.03,
  degraded: 0.08,
  test: 0.15,
};

export const NO_FAILURES: FailureRates = {
  build: 0,
  rebuild: 0,
  scanCritical: 0,
  scanFailure: 0,
  syncFailure: 0,
  degraded: 0,
  test: 0,
};

export const DEFAULT_DURATIONS: Durations = {
  buildPodStart: 400,
  buildStep: 550,
  scan: 2500,
  trigger: 300,
  taskPodStart: 300,
  taskStep: 600,
  gateDecision: 2000,
  argoRefresh: 300,
  syncRunning: 1200,
  progressing: 1800,
  testStep: 700,
  rebuildDelay: 6000,
};

export type AppInput = string | { name: string; gate?: GateFlavour; description?: string };

export interface ScenarioInput {
  seed?: number;
  /** How many apps (from DEFAULT_APP_NAMES), or their names / settings. Default 3. */
  apps?: number | AppInput[];
  registry?: string;
  commitIntervalMs?: number;
  /** Stop making commits after this many (in all). Default: never stop. */
  onlyCommits?: number;
  rates?: Partial<FailureRates>;
  durations?: Partial<Durations>;
  decideGates?: DecideGates;
  approvers?: string[];
  /** Finished PipelineRuns kept per pipeline and namespace (default 50). */
  keepPipelineRuns?: number;
}

const GIT_HOST = "https://gitlab.example.com";
const GROUP = "shop";

export function resolveScenario(input: ScenarioInput = {}): ScenarioConfig {
  const raw: AppInput[] =
    typeof input.apps === "number" || input.apps === undefined
      ? DEFAULT_APP_NAMES.slice(0, Math.max(1, Math.min(input.apps ?? 3, DEFAULT_APP_NAMES.length)))
      : input.apps;
  const apps = raw.map((a, i): AppConfig => {
    const spec = typeof a === "string" ? { name: a } : a;
    const repoUrl = `${GIT_HOST}/${GROUP}/${spec.name}`;
    return {
      name: spec.name,
      repoUrl,
      gitUrl: `${repoUrl}.git`,
      projectId: 15 + i,
      description: spec.description ?? DESCRIPTIONS[spec.name] ?? `The ${spec.name} service`,
      gate: spec.gate ?? "shiplog",
    };
  });
  const durations = { ...DEFAULT_DURATIONS, ...input.durations };
  return {
    seed: input.seed ?? 1,
    apps,
    environments: ["staging", "production"],
    buildCluster: "staging",
    registry: input.registry ?? "harbor.shiplog.test",
    harborProject: GROUP,
    gitHost: GIT_HOST,
    manifestsRepo: `${GIT_HOST}/${GROUP}/deploy-manifests`,
    commitIntervalMs: input.commitIntervalMs ?? 4000,
    onlyCommits: input.onlyCommits ?? null,
    rates: { ...DEFAULT_RATES, ...input.rates },
    durations,
    decideGates: input.decideGates ?? "never",
    approvers: input.approvers ?? ["alice", "bob", "group:release-managers"],
    keepPipelineRuns: input.keepPipelineRuns ?? 50,
  };
}
