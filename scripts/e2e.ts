// `npm run test:e2e`: a production build, a fresh migrated database, the cluster simulator, then
// Playwright. The app runs in demo mode with a known password and AUTH_SECRET, so the tests can
// sign in, with single sign-on against a local OIDC issuer (e2e/oidc-issuer.ts), and watches the
// simulator's two clusters and Harbor the way `npm run demo` wires them; the build also sees those
// secrets and a Harbor password, so e2e/client-bundle.spec.ts can prove that none of them
// reaches the browser's JavaScript. The specs reach the simulator with their own token
// (E2E_KUBECONFIG), so what the simulator's API saw from Shiplog's token is Shiplog's alone: after
// the specs, every such request must be allowed by deploy/install.yaml's ClusterRole and every
// grant of that ClusterRole must have been used (the whole suite only; a partial run checks the
// first).
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createDatabase, dropDatabase, ensurePostgres } from "./lib/postgres";
import { migrate } from "./lib/migrate";
import { ensureBuild, sourceHash } from "./lib/build";
import { run, waitForHttp } from "./lib/process";
import { startOidcIssuer, type OidcIssuer } from "../e2e/oidc-issuer";
import { startSimControl, type SimControl } from "../e2e/sim-control";
import { startSimulator, type Simulator } from "../sim";
import { checkShiplogRbac, SHIPLOG_TOKEN, TESTS_TOKEN } from "./lib/e2e-rbac";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.E2E_PORT ?? "3100";

/** What the app under test runs with; fixed values, so that a reused build saw the same ones. */
const appEnv = {
  E2E_PORT: port,
  SHIPLOG_DEMO: "true",
  SHIPLOG_DEMO_PASSWORD: "e2e-demo-password-7c1f",
  AUTH_SECRET: "e2e-auth-secret-3b9d0f6a2c8e4d17a5f0b6c9e2d4a8f1",
  AUTH_URL: `http://127.0.0.1:${port}`,
};
/** Given to the build only: the app under test talks to no Harbor. */
const buildOnlyEnv = {
  HARBOR_URL: "http://127.0.0.1:9",
  HARBOR_USERNAME: "robot$e2e",
  HARBOR_PASSWORD: "e2e-harbor-password-5e8a1d3c",
};

/** The simulated release pipeline: seed 7 plays a failed build among its first six commits. */
const simOptions = {
  seed: 7,
  onlyCommits: 6,
  commitIntervalMs: 1500,
  timeScale: 0.3,
  decideGates: "approve",
  harborWebhookSecret: "e2e-harbor-webhook-secret-41c7",
  gitWebhookSecret: "e2e-git-webhook-secret-8f02",
} as const;

/**
 * Starts the simulator (not playing yet) and returns what the app needs to watch it, as
 * scripts/demo.ts sets it: the kubeconfig and its contexts, Harbor and both webhook secrets.
 */
async function simulator(): Promise<{ sim: Simulator; env: Record<string, string> }> {
  const dir = path.join(root, ".shiplog/e2e-sim");
  const sim = await startSimulator({
    ...simOptions,
    play: false,
    dir,
    kubeconfig: path.join(dir, "kubeconfig"),
    webhookBase: appEnv.AUTH_URL,
    harborUsername: buildOnlyEnv.HARBOR_USERNAME,
    harborPassword: buildOnlyEnv.HARBOR_PASSWORD,
    tokens: {
      [SHIPLOG_TOKEN.token]: SHIPLOG_TOKEN.user,
      [TESTS_TOKEN.token]: TESTS_TOKEN.user,
    },
  });
  const testsKubeconfig = await sim.kube.writeKubeconfig(path.join(dir, "kubeconfig-tests"), {
    token: TESTS_TOKEN.token,
  });
  return {
    sim,
    env: {
      KUBECONFIG: sim.kubeconfigPath!,
      E2E_KUBECONFIG: testsKubeconfig,
      SHIPLOG_CONTEXTS: "staging=staging,production=production",
      HARBOR_URL: sim.harbor.url,
      HARBOR_USERNAME: buildOnlyEnv.HARBOR_USERNAME,
      HARBOR_PASSWORD: buildOnlyEnv.HARBOR_PASSWORD,
      HARBOR_WEBHOOK_SECRET: simOptions.harborWebhookSecret,
      GIT_WEBHOOK_SECRET: simOptions.gitWebhookSecret,
    },
  };
}

/** Rebuilds unless the last build was made from these sources with this environment. */
async function buildWithSecrets(): Promise<void> {
  const stamp = path.join(root, ".shiplog/e2e-build-env");
  const want = createHash("sha256")
    .update(sourceHash())
    .update(JSON.stringify({ appEnv, buildOnlyEnv }))
    .digest("hex");
  const fresh = existsSync(stamp) && readFileSync(stamp, "utf8") === want;
  const given = { ...appEnv, ...buildOnlyEnv };
  const saved = Object.fromEntries(Object.keys(given).map((key) => [key, process.env[key]]));
  Object.assign(process.env, given);
  try {
    await ensureBuild({ force: !fresh });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  writeFileSync(stamp, want);
}

const server = await ensurePostgres({ dataDir: path.join(root, ".shiplog/test-pg") });
const name = `shiplog_e2e_${randomBytes(3).toString("hex")}`;
const sso = { id: "shiplog-e2e", secret: "e2e-oidc-client-secret-9d2b" };
let issuer: OidcIssuer | undefined;
let sim: Simulator | undefined;
let control: SimControl | undefined;
let code = 0;
try {
  const url = await createDatabase(server.adminUrl, name);
  await migrate(url, { quiet: true });
  await buildWithSecrets();
  issuer = await startOidcIssuer(sso);
  const simulated = await simulator();
  sim = simulated.sim;
  control = await startSimControl(sim);
  // The scenario plays once the app answers (Playwright starts it), so no webhook is lost.
  const playing = sim;
  void waitForHttp(`${appEnv.AUTH_URL}/api/healthz`, 180_000)
    .then(() => playing.play())
    .catch(() => {});
  const specs = run(
    path.join(root, "node_modules/.bin/playwright"),
    ["test", ...process.argv.slice(2)],
    {
      cwd: root,
      env: {
        ...process.env,
        ...appEnv,
        ...simulated.env,
        E2E_SIM_URL: control.url,
        DATABASE_URL: url,
        NEXT_TELEMETRY_DISABLED: "1",
        AUTH_OIDC_ISSUER: issuer.url,
        AUTH_OIDC_CLIENT_ID: sso.id,
        AUTH_OIDC_CLIENT_SECRET: sso.secret,
        SHIPLOG_ROLE_GROUPS:
          "approver=release-managers,operator=sre|platform,admin=platform-admins",
        // For client-bundle.spec.ts, which looks for it in the build output.
        E2E_BUILD_HARBOR_PASSWORD: buildOnlyEnv.HARBOR_PASSWORD,
      },
    },
  );
  // The requests are checked whatever the specs did; unused grants only after the whole suite passed.
  const passed = await specs.then(
    () => true,
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
      return false;
    },
  );
  if (!passed) code = 1;
  if (!checkShiplogRbac(sim, { everySpec: passed && process.argv.length === 2 })) code = 1;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  code = 1;
} finally {
  await issuer?.close();
  await control?.close();
  await sim?.close();
  await dropDatabase(server.adminUrl, name).catch(() => {});
  await server.stop();
}
process.exit(code);
