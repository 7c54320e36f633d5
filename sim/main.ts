// `npm run sim`: the cluster simulator on fixed ports, a kubeconfig for kubectl and Shiplog, and
// the seeded scenario playing until Ctrl-C. The only place in sim/ that reads the environment.
import path from "node:path";
import { CliError, parseCliArgs, USAGE } from "./cli-args";
import { startSimulator, type Simulator } from "./index";
import { createPrinter } from "./printer";

function say(line: string) {
  process.stdout.write(`[sim] ${line}\n`);
}

async function receiverUp(base: string, seconds: number, stopped: () => boolean): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline && !stopped()) {
    try {
      await fetch(`${base}/api/healthz`, { signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return false;
}

async function main() {
  const opts = parseCliArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const kubeconfig = path.resolve(opts.kubeconfig);
  const running: { sim?: Simulator } = {};
  const printer = createPrinter(say);
  const waitForReceiver = opts.webhookBase !== null && opts.waitSeconds > 0;
  if (waitForReceiver) printer.hold();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    await running.sim?.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const sim = await startSimulator({
    seed: opts.seed,
    port: opts.port,
    harborPort: opts.harborPort,
    dir: path.resolve(".shiplog/sim"),
    kubeconfig,
    webhookBase: opts.webhookBase ?? undefined,
    harborWebhookSecret: process.env.HARBOR_WEBHOOK_SECRET || undefined,
    gitWebhookSecret: process.env.GIT_WEBHOOK_SECRET || undefined,
    timeScale: opts.timeScale,
    onlyCommits: opts.onlyCommits ?? undefined,
    apps: opts.apps,
    decideGates: opts.decideGates,
    play: false,
    logger: printer.log,
  });
  running.sim = sim;
  const apps = sim.config.apps.map((a) => a.name).join(", ");
  say(`Kubernetes API ${sim.kube.url} — clusters ${Object.keys(sim.clusters).join(", ")}`);
  say(`kubeconfig ${path.relative(process.cwd(), kubeconfig)} (contexts staging, production)`);
  say(`Harbor ${sim.harbor.url} — user ${sim.harbor.username}, password ${sim.harbor.password}`);
  say(`ground truth ${sim.kube.url}/_sim/truth`);
  if (opts.webhookBase) {
    say(`webhooks to ${opts.webhookBase}/api/webhooks/{harbor,git}`);
    if (!process.env.HARBOR_WEBHOOK_SECRET) say("warning: HARBOR_WEBHOOK_SECRET is not set");
    if (!process.env.GIT_WEBHOOK_SECRET) say("warning: GIT_WEBHOOK_SECRET is not set");
  } else {
    say("no --webhook-base: Harbor and Git webhooks are not sent");
  }
  if (opts.webhookBase && waitForReceiver) {
    say(`waiting for ${opts.webhookBase} before the first commit (up to ${opts.waitSeconds} s)`);
    const up = await receiverUp(opts.webhookBase, opts.waitSeconds, () => stopping);
    if (stopping) return;
    if (!up) say(`${opts.webhookBase} does not answer; playing anyway`);
    // Deliveries still retrying when it answered end before the first commit's.
    await sim.harbor.flushWebhooks();
    printer.settle(opts.webhookBase, up);
  }
  say(
    `playing seed ${opts.seed}: ${apps}, a commit every ~${Math.round((sim.config.commitIntervalMs * opts.timeScale) / 100) / 10} s` +
      (opts.onlyCommits !== null ? `, ${opts.onlyCommits} in all` : "") +
      (opts.decideGates !== "never" ? `, gates ${opts.decideGates}d by the simulator` : "") +
      ". Ctrl-C stops.",
  );
  sim.play();
}

main().catch((err: unknown) => {
  if (err instanceof CliError) {
    process.stderr.write(`[sim] ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const code = (err as { code?: string }).code;
  process.stderr.write(
    `[sim] failed: ${code === "EADDRINUSE" ? `a port is in use (${(err as Error).message}); pick others with --port / --harbor-port` : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
