// `npm run test:e2e`: a production build, a fresh migrated database, then Playwright. The app
// runs in demo mode with a known password and AUTH_SECRET, so the tests can sign in, and with
// single sign-on against a local OIDC issuer (e2e/oidc-issuer.ts); the build also sees those
// secrets and a Harbor password, so e2e/client-bundle.spec.ts can prove that none of them
// reaches the browser's JavaScript.
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createDatabase, dropDatabase, ensurePostgres } from "./lib/postgres";
import { migrate } from "./lib/migrate";
import { ensureBuild, sourceHash } from "./lib/build";
import { run } from "./lib/process";
import { startOidcIssuer, type OidcIssuer } from "../e2e/oidc-issuer";

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
let code = 0;
try {
  const url = await createDatabase(server.adminUrl, name);
  await migrate(url, { quiet: true });
  await buildWithSecrets();
  issuer = await startOidcIssuer(sso);
  await run(path.join(root, "node_modules/.bin/playwright"), ["test", ...process.argv.slice(2)], {
    cwd: root,
    env: {
      ...process.env,
      ...appEnv,
      DATABASE_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_OIDC_ISSUER: issuer.url,
      AUTH_OIDC_CLIENT_ID: sso.id,
      AUTH_OIDC_CLIENT_SECRET: sso.secret,
      SHIPLOG_ROLE_GROUPS: "approver=release-managers,operator=sre|platform,admin=platform-admins",
      // For client-bundle.spec.ts, which looks for it in the build output.
      E2E_BUILD_HARBOR_PASSWORD: buildOnlyEnv.HARBOR_PASSWORD,
    },
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  code = 1;
} finally {
  await issuer?.close();
  await dropDatabase(server.adminUrl, name).catch(() => {});
  await server.stop();
}
process.exit(code);
