import { describe, expect, it } from "vitest";
import {
  ConfigError,
  describeConfigError,
  loadConfig,
  parseContexts,
  parseRoleGroups,
  requireAuthConfig,
  requireServerConfig,
} from "./config";

const valid = { DATABASE_URL: "postgresql://shiplog:secret@db:5432/shiplog" };

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies defaults", () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.contexts).toEqual([]);
    expect(config.namespaces).toEqual([]);
    expect(config.harbor).toBeUndefined();
    expect(config.auth.oidc).toBeUndefined();
    expect(config.demo).toEqual({ enabled: false, password: undefined });
    expect(config.sources).toEqual({});
    expect(config.links).toEqual({ tektonDashboard: null, argocd: null });
  });

  it("reads the base URLs of Tekton Dashboard and Argo CD for deep links", () => {
    const config = loadConfig({
      ...valid,
      TEKTON_DASHBOARD_URL: "https://tekton.example.com/",
      ARGOCD_URL: "https://argocd.example.com",
    });
    expect(config.links).toEqual({
      tektonDashboard: "https://tekton.example.com/",
      argocd: "https://argocd.example.com",
    });
  });

  it("reads the names of the params and results that carry correlation keys", () => {
    const config = loadConfig({
      ...valid,
      SHIPLOG_DIGEST_PARAMS: "harbor-event,image",
      SHIPLOG_MANIFESTS_RESULTS: "commit,manifest-sha",
      SHIPLOG_VERIFY_PIPELINES: "e2e-selenium",
    });
    expect(config.sources).toEqual({
      digestParams: ["harbor-event", "image"],
      manifestsRevisionResults: ["commit", "manifest-sha"],
      verifyPipelines: ["e2e-selenium"],
    });
  });

  it("reads every variable of the contract", () => {
    const config = loadConfig({
      ...valid,
      PORT: "8080",
      KUBECONFIG: "/etc/kube/config",
      SHIPLOG_CONTEXTS: "kind-a=staging, prod-eu ",
      SHIPLOG_NAMESPACES: "ci,argocd",
      HARBOR_URL: "https://harbor.example.com",
      HARBOR_USERNAME: "robot$shiplog",
      HARBOR_PASSWORD: "pw",
      HARBOR_WEBHOOK_SECRET: "hook",
      GIT_WEBHOOK_SECRET: "git",
      AUTH_SECRET: "s",
      AUTH_URL: "https://shiplog.example.com",
      AUTH_OIDC_ISSUER: "https://gitlab.example.com",
      AUTH_OIDC_CLIENT_ID: "id",
      AUTH_OIDC_CLIENT_SECRET: "cs",
      SHIPLOG_DEMO: "true",
    });
    expect(config.port).toBe(8080);
    expect(config.kubeconfig).toBe("/etc/kube/config");
    expect(config.contexts).toEqual([
      { context: "kind-a", environment: "staging" },
      { context: "prod-eu", environment: "prod-eu" },
    ]);
    expect(config.namespaces).toEqual(["ci", "argocd"]);
    expect(config.harbor).toEqual({
      url: "https://harbor.example.com",
      username: "robot$shiplog",
      password: "pw",
    });
    expect(config.harborWebhookSecret).toBe("hook");
    expect(config.gitWebhookSecret).toBe("git");
    expect(config.auth.oidc).toEqual({
      issuer: "https://gitlab.example.com",
      clientId: "id",
      clientSecret: "cs",
      scopes: ["openid", "email", "profile", "groups"],
    });
    expect(config.demo.enabled).toBe(true);
  });

  it.each([
    [
      { DATABASE_URL: "mysql://db/shiplog" },
      "DATABASE_URL",
      "must be a postgres:// or postgresql:// URL",
    ],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL", "must be a postgres:// or postgresql:// URL"],
    [{ ...valid, PORT: "http" }, "PORT", "must be a whole number"],
    [{ ...valid, PORT: "70000" }, "PORT", "must be between 1 and 65535"],
    [{ ...valid, PORT: "0" }, "PORT", "must be between 1 and 65535"],
    [
      { ...valid, LOG_LEVEL: "loud" },
      "LOG_LEVEL",
      "must be one of fatal, error, warn, info, debug, trace, silent",
    ],
    [{ ...valid, HARBOR_URL: "harbor.local" }, "HARBOR_URL", "must be an http:// or https:// URL"],
    [{ ...valid, ARGOCD_URL: "argocd" }, "ARGOCD_URL", "must be an http:// or https:// URL"],
    [
      { ...valid, SHIPLOG_CONTEXTS: "a=b=c" },
      "SHIPLOG_CONTEXTS",
      'has a malformed entry "a=b=c" (want context or context=environment)',
    ],
    [{ ...valid, SHIPLOG_DEMO: "maybe" }, "SHIPLOG_DEMO", "must be true or false"],
    [
      { ...valid, AUTH_OIDC_ISSUER: "https://id.example.com" },
      "AUTH_OIDC_CLIENT_ID",
      "is required when single sign-on is configured",
    ],
    [
      { ...valid, SHIPLOG_ROLE_GROUPS: "approver" },
      "SHIPLOG_ROLE_GROUPS",
      'has a malformed entry "approver" (want role=group or role=group|group)',
    ],
    [
      { ...valid, SHIPLOG_ROLE_GROUPS: "operator=sre||platform" },
      "SHIPLOG_ROLE_GROUPS",
      'has a malformed entry "operator=sre||platform" (want role=group or role=group|group)',
    ],
    [
      { ...valid, SHIPLOG_ROLE_GROUPS: "auditor=everyone" },
      "SHIPLOG_ROLE_GROUPS",
      'has an unknown role "auditor" (want viewer, approver, operator or admin)',
    ],
    [
      { ...valid, SHIPLOG_SESSION_LIFETIME: "12 hours" },
      "SHIPLOG_SESSION_LIFETIME",
      'must be a duration such as 12h, 30m or 7d, between 1m and 30d (got "12 hours")',
    ],
    [
      { ...valid, SHIPLOG_SESSION_LIFETIME: "90d" },
      "SHIPLOG_SESSION_LIFETIME",
      'must be a duration such as 12h, 30m or 7d, between 1m and 30d (got "90d")',
    ],
    [
      { ...valid, SHIPLOG_EVENTS_RECHECK: "0s" },
      "SHIPLOG_EVENTS_RECHECK",
      'must be a duration such as 12h, 30m or 7d, between 1s and 1h (got "0s")',
    ],
    [{ ...valid, AUTH_OIDC_SCOPES: "email profile" }, "AUTH_OIDC_SCOPES", "must include openid"],
    [
      { ...valid, HARBOR_URL: "https://h", HARBOR_USERNAME: "u" },
      "HARBOR_PASSWORD",
      "is required with the other Harbor credential",
    ],
  ])("names the bad variable in %j", (env, variable, problem) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.problem).toBe(problem);
  });

  it("never echoes a secret-bearing value", () => {
    const error = failure({ DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(describeConfigError(error)).toBe(
      "shiplog: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL",
    );
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" }).port).toBe(3000);
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });
});

describe("requireServerConfig", () => {
  it("requires DATABASE_URL for a server", () => {
    expect(() => requireServerConfig(loadConfig({}))).toThrow("DATABASE_URL is required");
    expect(requireServerConfig(loadConfig(valid)).databaseUrl).toBe(valid.DATABASE_URL);
  });
});

describe("parseContexts", () => {
  it("rejects an empty environment", () => {
    expect(() => parseContexts(["ctx="])).toThrow(ConfigError);
  });
});

describe("describeConfigError", () => {
  it("leaves other errors alone", () => {
    expect(describeConfigError(new Error("boom"))).toBeUndefined();
  });
});

describe("parseRoleGroups", () => {
  it("maps roles to groups, | separating several and repeated roles merging", () => {
    expect(
      parseRoleGroups(
        "approver=release-managers, operator=sre|platform,admin=platform-admins,operator=sre|oncall",
      ),
    ).toEqual({
      viewer: [],
      approver: ["release-managers"],
      operator: ["sre", "platform", "oncall"],
      admin: ["platform-admins"],
    });
  });

  it("grants nothing when unset", () => {
    expect(loadConfig(valid).auth.roleGroups).toEqual({
      viewer: [],
      approver: [],
      operator: [],
      admin: [],
    });
    expect(
      loadConfig({ ...valid, SHIPLOG_ROLE_GROUPS: "admin=ops" }).auth.roleGroups.admin,
    ).toEqual(["ops"]);
  });
});

describe("session settings", () => {
  it("lasts 12 hours from sign-in and re-checks event streams every minute unless told", () => {
    expect(loadConfig(valid).auth).toMatchObject({ sessionLifetimeS: 43_200, eventsRecheckS: 60 });
    expect(
      loadConfig({ ...valid, SHIPLOG_SESSION_LIFETIME: "30m", SHIPLOG_EVENTS_RECHECK: "5s" }).auth,
    ).toMatchObject({ sessionLifetimeS: 1800, eventsRecheckS: 5 });
  });

  it("takes viewer= as the groups that may sign in", () => {
    expect(parseRoleGroups("viewer=staff|contractors,admin=ops")).toMatchObject({
      viewer: ["staff", "contractors"],
      admin: ["ops"],
    });
  });
});

describe("AUTH_OIDC_SCOPES", () => {
  it("accepts space- or comma-separated scopes", () => {
    const config = loadConfig({
      ...valid,
      AUTH_OIDC_ISSUER: "https://gitlab.example.com",
      AUTH_OIDC_CLIENT_ID: "id",
      AUTH_OIDC_CLIENT_SECRET: "cs",
      AUTH_OIDC_SCOPES: "openid email,profile",
    });
    expect(config.auth.oidc?.scopes).toEqual(["openid", "email", "profile"]);
  });
});

describe("requireAuthConfig", () => {
  const production = {
    ...valid,
    NODE_ENV: "production",
    AUTH_SECRET: "x".repeat(32),
    AUTH_URL: "https://shiplog.example.com",
  };
  const problem = (env: Record<string, string | undefined>) => {
    try {
      requireAuthConfig(loadConfig(env));
      return "ok";
    } catch (error) {
      return describeConfigError(error);
    }
  };

  it("accepts a production configuration with a strong secret and a URL", () => {
    expect(problem(production)).toBe("ok");
  });

  it("refuses production without AUTH_SECRET, with a short one, or without AUTH_URL", () => {
    expect(problem({ ...production, AUTH_SECRET: undefined })).toBe(
      "shiplog: configuration error: AUTH_SECRET is required in production (32+ random characters, e.g. openssl rand -base64 32)",
    );
    expect(problem({ ...production, AUTH_SECRET: "short" })).toBe(
      "shiplog: configuration error: AUTH_SECRET must be at least 32 characters in production",
    );
    expect(problem({ ...production, AUTH_URL: "" })).toBe(
      "shiplog: configuration error: AUTH_URL is required in production (the public URL, e.g. https://shiplog.example.com)",
    );
  });

  it("refuses a demo password in production unless SHIPLOG_DEMO=true is given", () => {
    expect(problem({ ...production, SHIPLOG_DEMO_PASSWORD: "pw" })).toBe(
      "shiplog: configuration error: SHIPLOG_DEMO_PASSWORD is set but SHIPLOG_DEMO is not true: production refuses demo sign-in unless SHIPLOG_DEMO=true is given",
    );
    expect(problem({ ...production, SHIPLOG_DEMO: "true", SHIPLOG_DEMO_PASSWORD: "pw" })).toBe(
      "ok",
    );
  });

  it("needs a demo password in demo mode, and nothing else outside production", () => {
    expect(problem({ ...valid, SHIPLOG_DEMO: "true" })).toBe(
      "shiplog: configuration error: SHIPLOG_DEMO_PASSWORD is required in demo mode (npm run demo generates one)",
    );
    expect(problem(valid)).toBe("ok");
    expect(problem({ ...valid, SHIPLOG_DEMO_PASSWORD: "pw" })).toBe("ok");
  });
});
