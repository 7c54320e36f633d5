// Parses `npm run sim -- [options]` into simulator options; pure, so it is unit-tested.

export interface CliOptions {
  seed: number;
  port: number;
  harborPort: number;
  webhookBase: string | null;
  kubeconfig: string;
  timeScale: number;
  onlyCommits: number | null;
  apps: number;
  decideGates: "never" | "approve" | "reject";
  /** Seconds to wait for the webhook receiver before the first commit (0: don't wait). */
  waitSeconds: number;
  help: boolean;
}

export const USAGE = `usage: npm run sim -- [options]

  --seed N             scenario seed (default 1): same seed, same commits, digests and names
  --port N             Kubernetes API port (default 6443)
  --harbor-port N      Harbor port (default 8081)
  --webhook-base URL   where Shiplog listens, e.g. http://127.0.0.1:3000 (webhooks go to
                       <URL>/api/webhooks/harbor and <URL>/api/webhooks/git)
  --kubeconfig PATH    kubeconfig to write (default .shiplog/sim/kubeconfig)
  --time-scale X       multiply every duration (default 1; 0.1 plays ten times faster)
  --commits N          stop making commits after N
  --apps N             how many apps (default 3)
  --decide-gates MODE  never (default: Shiplog decides), approve or reject
  --wait SECONDS       with --webhook-base, wait this long for the receiver before the first
                       commit (default 120; 0 starts at once)

Environment: HARBOR_WEBHOOK_SECRET (sent as Authorization), GIT_WEBHOOK_SECRET (X-Gitlab-Token).`;

export class CliError extends Error {}

function number(flag: string, value: string | undefined, min: number, integer = true): number {
  const n = Number(value);
  if (
    value === undefined ||
    value === "" ||
    !Number.isFinite(n) ||
    n < min ||
    (integer && !Number.isInteger(n))
  ) {
    throw new CliError(
      `${flag} needs ${integer ? "an integer" : "a number"} ≥ ${min}, got ${value ?? "nothing"}`,
    );
  }
  return n;
}

export function parseCliArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    seed: 1,
    port: 6443,
    harborPort: 8081,
    webhookBase: null,
    kubeconfig: ".shiplog/sim/kubeconfig",
    timeScale: 1,
    onlyCommits: null,
    apps: 3,
    decideGates: "never",
    waitSeconds: 120,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case "--seed":
        o.seed = number(flag, value(), 0);
        break;
      case "--port":
        o.port = number(flag, value(), 0);
        break;
      case "--harbor-port":
        o.harborPort = number(flag, value(), 0);
        break;
      case "--webhook-base": {
        const v = value();
        try {
          const u = new URL(v ?? "");
          if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
        } catch {
          throw new CliError(`--webhook-base needs an http(s) URL, got ${v ?? "nothing"}`);
        }
        o.webhookBase = v.replace(/\/+$/, "");
        break;
      }
      case "--kubeconfig": {
        const v = value();
        if (!v) throw new CliError("--kubeconfig needs a path");
        o.kubeconfig = v;
        break;
      }
      case "--time-scale":
        o.timeScale = number(flag, value(), 0.001, false);
        break;
      case "--commits":
        o.onlyCommits = number(flag, value(), 0);
        break;
      case "--apps":
        o.apps = number(flag, value(), 1);
        break;
      case "--decide-gates": {
        const v = value();
        if (v !== "never" && v !== "approve" && v !== "reject")
          throw new CliError(`--decide-gates is never, approve or reject, got ${v ?? "nothing"}`);
        o.decideGates = v;
        break;
      }
      case "--wait":
        o.waitSeconds = number(flag, value(), 0);
        break;
      case "-h":
      case "--help":
        o.help = true;
        break;
      default:
        throw new CliError(`unknown option ${arg}`);
    }
  }
  return o;
}
