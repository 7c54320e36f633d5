// The cluster simulator: the Kubernetes API (staging, production) and Harbor, with controllers that
// play the reference pipeline — git push → kpack → Harbor → Tekton → Argo CD → E2E — for a seeded
// scenario. `startSimulator` is what the CLI (sim/main.ts), the demo and the tests use.
import { ApprovalController } from "./controllers/approval";
import { approvalTaskWebhook } from "./controllers/approval-webhook";
import { ArgoCdController } from "./controllers/argocd";
import type { SimContext } from "./controllers/context";
import { Scheduler, type Logger } from "./controllers/clock";
import { GitHost } from "./controllers/git";
import type { GitCommit } from "./controllers/types";
import { scanOutcome } from "./controllers/harbor-push";
import { KpackController } from "./controllers/kpack";
import { Seeded } from "./controllers/random";
import { PipelineRunController } from "./controllers/tekton-pipelinerun";
import { TaskRunController } from "./controllers/tekton-taskrun";
import { TektonTriggers } from "./controllers/triggers";
import { createHarbor, type Harbor, type WebhookPayload } from "./harbor";
import { createKubeApi, type KubeApi, type Store } from "./kube";
import type { TokenUser } from "./kube/auth";
import { bootstrap } from "./scenario/bootstrap";
import { resolveScenario, type ScenarioConfig, type ScenarioInput } from "./scenario/config";
import { Ledger } from "./scenario/ledger";
import { ScenarioPlayer, type CommitOptions } from "./scenario/player";
import { groundTruth, type Truth } from "./scenario/truth";

export type { Logger, LogEntry } from "./controllers/clock";
export type {
  ScenarioConfig,
  ScenarioInput,
  FailureRates,
  Durations,
  DecideGates,
  GateFlavour,
} from "./scenario/config";
export { NO_FAILURES, DEFAULT_RATES } from "./scenario/config";
export type { Truth, CommitTruth } from "./scenario/truth";
export type { CommitOptions } from "./scenario/player";

export interface SimulatorOptions extends ScenarioInput {
  /** Kubernetes API port (0 = any free port, the default; the CLI uses 6443). */
  port?: number;
  /** Harbor port (0 = any, the default; the CLI uses 8081). */
  harborPort?: number;
  host?: string;
  /** Certificates and the CRD cache (default .shiplog/sim). */
  dir?: string;
  /** Write a kubeconfig with contexts staging and production here. */
  kubeconfig?: string;
  /** Shiplog's base URL: webhooks go to <base>/api/webhooks/harbor and /api/webhooks/git. */
  webhookBase?: string;
  harborWebhookSecret?: string;
  gitWebhookSecret?: string;
  harborUsername?: string;
  harborPassword?: string;
  /** Multiplies every simulated duration: 0.05 plays twenty times faster. Default 1. */
  timeScale?: number;
  /** Start making commits at once (default true); false leaves it to `commit()` / `play()`. */
  play?: boolean;
  /**
   * Plays manual-approval-gate's validating webhook too: ApprovalTask updates over HTTP only from
   * a listed approver (impersonation honoured), each changing only their own entry (default false).
   */
  approvalTaskWebhook?: boolean;
  /** Bearer tokens the API accepts and whom each names (default: one token, user shiplog). */
  tokens?: Record<string, TokenUser>;
  logger?: Logger;
}

export interface Simulator {
  config: ScenarioConfig;
  kube: KubeApi;
  harbor: Harbor;
  clusters: Record<string, Store>;
  /** Where the kubeconfig was written, if asked to. */
  kubeconfigPath: string | null;
  ledger: Ledger;
  git: GitHost;
  /** Each cluster's Argo CD: its API server's sync call (refused while an operation runs). */
  argocd: Record<string, ArgoCdController>;
  /** Commits made by the scenario so far, and a promise for `onlyCommits`. */
  player: { readonly commitsMade: number; readonly done: Promise<void> };
  /** Starts the commit schedule (when created with play: false). */
  play(): void;
  /** Makes the app's next commit now (with its Push Hook), optionally with its own story. */
  commit(app: string, options?: CommitOptions): GitCommit;
  truth(): Truth;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const config = resolveScenario(options);
  const log: Logger = options.logger ?? (() => {});
  const seed = new Seeded(config.seed);
  const scheduler = new Scheduler(options.timeScale ?? 1, (err) =>
    log({ level: "error", msg: "simulator task failed", err: String(err) }),
  );
  const base = options.webhookBase?.replace(/\/+$/, "");
  const git = new GitHost({
    now: () => new Date(),
    log,
    webhook: base
      ? { url: `${base}/api/webhooks/git`, secret: options.gitWebhookSecret }
      : undefined,
    isClosed: () => scheduler.isClosed,
  });
  const kube = await createKubeApi({
    port: options.port ?? 0,
    host: options.host,
    dir: options.dir,
    historyWindow: 5000,
    tokens: options.tokens,
    onError: (err) => log({ level: "error", msg: "kube API error", err: String(err) }),
  });
  let route: (payload: WebhookPayload) => void = () => {};
  const harbor = await createHarbor({
    port: options.harborPort ?? 0,
    host: options.host,
    registry: config.registry,
    username: options.harborUsername ?? "admin",
    password: options.harborPassword ?? "Harbor12345",
    webhook: base
      ? { url: `${base}/api/webhooks/harbor`, authHeader: options.harborWebhookSecret }
      : undefined,
    projects: [{ name: config.harborProject, autoScan: true }],
    scanner: {
      autoComplete: (artifact) => {
        const outcome = scanOutcome(config, seed, artifact.digest);
        return { ...outcome, afterMs: scheduler.scaled(outcome.afterMs) };
      },
    },
    random: seed.stream("harbor"),
    logger: (e) => log({ ...e, system: "harbor" }),
    onEvent: (payload) => route(payload),
  });

  const ledger = new Ledger();
  const argocds: Record<string, ArgoCdController> = {};
  const ctx: SimContext = {
    config,
    seed,
    clusters: kube.clusters,
    harbor,
    git,
    ledger,
    scheduler,
    log,
    now: () => new Date(),
    argocd: {},
  };
  bootstrap(ctx);

  const kpack = new KpackController(ctx);
  const triggers = new TektonTriggers(ctx);
  const approvals = new ApprovalController(ctx);
  const controllers: Array<{ start(): void; stop(): void }> = [kpack, triggers, approvals];
  for (const env of config.environments) {
    const argocd = new ArgoCdController(ctx, env);
    argocd.onDeployed = (e) => triggers.onDeployed(e);
    ctx.argocd[env] = argocd;
    argocds[env] = argocd;
    controllers.push(argocd, new PipelineRunController(ctx, env), new TaskRunController(ctx, env));
  }
  for (const c of controllers) c.start();
  route = (payload) => triggers.onHarborEvent(payload);
  kube.addControl("/_sim/truth", () => groundTruth(ctx));
  if (options.approvalTaskWebhook)
    kube.addAdmission("approvaltasks.openshift-pipelines.org", approvalTaskWebhook);

  const kubeconfigPath = options.kubeconfig ? await kube.writeKubeconfig(options.kubeconfig) : null;
  const player = new ScenarioPlayer(ctx);
  let playing = false;
  const play = () => {
    if (playing) return;
    playing = true;
    player.start();
  };
  if (options.play !== false) play();

  return {
    config,
    kube,
    harbor,
    clusters: kube.clusters,
    kubeconfigPath,
    ledger,
    git,
    argocd: argocds,
    player,
    play,
    commit: (app, commitOptions) => player.commit(app, commitOptions),
    truth: () => groundTruth(ctx),
    close: async () => {
      player.stop();
      scheduler.close();
      for (const c of controllers) c.stop();
      await harbor.close();
      await kube.close();
      await git.flushHooks();
    },
  };
}
