// Every environment variable Shiplog reads, validated once. Nothing else reads process.env.
import { z } from "zod";
import type { SourceOptionsInput } from "./sources/options";
import { ROLES, type Role, type RoleGroups } from "./auth/roles";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const list = optionalText.transform((value) =>
  value
    ? value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : [],
);

const url = (protocols: string[], hint: string) =>
  optionalText.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be ${hint}` },
  );

const boolean = optionalText.refine(
  (value) => value === undefined || ["1", "0", "true", "false", "yes", "no"].includes(value),
  { message: "must be true or false" },
);

export type ContextMapping = { context: string; environment: string };

/** `ctx=env,ctx2` → one entry per kubeconfig context; a bare context is its own environment. */
export function parseContexts(entries: string[]): ContextMapping[] {
  return entries.map((entry) => {
    const [context, environment, extra] = entry.split("=").map((part) => part.trim());
    if (!context || extra !== undefined || environment === "") {
      throw new ConfigError(
        "SHIPLOG_CONTEXTS",
        `has a malformed entry "${entry}" (want context or context=environment)`,
      );
    }
    return { context, environment: environment ?? context };
  });
}

/**
 * `approver=release-managers,operator=sre|platform` → the groups that grant each role. `viewer=`
 * names the groups allowed to sign in at all; without it everyone the provider signs in is a viewer.
 */
export function parseRoleGroups(value: string | undefined): RoleGroups {
  const mapping: RoleGroups = { viewer: [], approver: [], operator: [], admin: [] };
  for (const entry of (value ?? "").split(",").map((part) => part.trim())) {
    if (!entry) continue;
    const [role, groups, extra] = entry.split("=").map((part) => part.trim());
    const names = (groups ?? "").split("|").map((group) => group.trim());
    if (!role || extra !== undefined || names.some((group) => !group)) {
      throw new ConfigError(
        "SHIPLOG_ROLE_GROUPS",
        `has a malformed entry "${entry}" (want role=group or role=group|group)`,
      );
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ConfigError(
        "SHIPLOG_ROLE_GROUPS",
        `has an unknown role "${role}" (want viewer, approver, operator or admin)`,
      );
    }
    const list = mapping[role as Role];
    for (const group of names) if (!list.includes(group)) list.push(group);
  }
  return mapping;
}

const DURATION_UNITS_S = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `90s`, `30m`, `12h`, `7d` → seconds; anything else is undefined. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d{1,6})\s*([smhd])$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * DURATION_UNITS_S[match[2] as keyof typeof DURATION_UNITS_S];
}

/** A duration setting in seconds, between `min` and `max`, `fallback` when unset. */
const duration = (fallback: string, min: number, max: number, range: string) =>
  optionalText.transform((value, ctx) => {
    const seconds = parseDuration(value ?? fallback);
    if (seconds === undefined || seconds < min || seconds > max) {
      ctx.addIssue({
        code: "custom",
        message: `must be a duration such as 12h, 30m or 7d, between ${range} (got "${value}")`,
      });
      return z.NEVER;
    }
    return seconds;
  });

const DEFAULT_OIDC_SCOPES = ["openid", "email", "profile", "groups"];

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: url(["postgres:", "postgresql:"], "a postgres:// or postgresql:// URL"),
  PORT: optionalText
    .refine((value) => value === undefined || /^\d+$/.test(value), {
      message: "must be a whole number",
    })
    .transform((value) => (value === undefined ? 3000 : Number(value)))
    .refine((port) => port >= 1 && port <= 65535, { message: "must be between 1 and 65535" }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  KUBECONFIG: optionalText,
  SHIPLOG_CONTEXTS: list,
  SHIPLOG_NAMESPACES: list,
  HARBOR_URL: url(["http:", "https:"], "an http:// or https:// URL"),
  HARBOR_USERNAME: optionalText,
  HARBOR_PASSWORD: optionalText,
  HARBOR_WEBHOOK_SECRET: optionalText,
  GIT_WEBHOOK_SECRET: optionalText,
  AUTH_SECRET: optionalText,
  AUTH_URL: url(["http:", "https:"], "an http:// or https:// URL"),
  AUTH_OIDC_ISSUER: url(["http:", "https:"], "an http:// or https:// URL"),
  AUTH_OIDC_CLIENT_ID: optionalText,
  AUTH_OIDC_CLIENT_SECRET: optionalText,
  AUTH_OIDC_SCOPES: optionalText
    .transform((value) => (value ? value.split(/[\s,]+/).filter(Boolean) : DEFAULT_OIDC_SCOPES))
    .refine((scopes) => scopes.includes("openid"), { message: "must include openid" }),
  SHIPLOG_ROLE_GROUPS: optionalText,
  // How long a session lasts from sign-in, however often it is used.
  SHIPLOG_SESSION_LIFETIME: duration("12h", 60, 30 * 86_400, "1m and 30d"),
  // How often an open event stream checks that its session or token still holds.
  SHIPLOG_EVENTS_RECHECK: duration("60s", 1, 3600, "1s and 1h"),
  SHIPLOG_APPROVER_DOMAINS: list
    .transform((domains) => domains.map((d) => d.toLowerCase().replace(/^@/, "")))
    .refine((domains) => domains.every((d) => /^[a-z0-9.-]+\.[a-z]{2,}$/.test(d)), {
      message:
        "must be a comma-separated list of e-mail domains, e.g. example.com,corp.example.com",
    }),
  SHIPLOG_DIGEST_PARAMS: list,
  SHIPLOG_DIGEST_RESULTS: list,
  SHIPLOG_MANIFESTS_RESULTS: list,
  SHIPLOG_VERIFY_PIPELINES: list,
  SHIPLOG_DEMO: boolean,
  SHIPLOG_GATE_WEBHOOK_URL: url(["http:", "https:"], "an http:// or https:// URL"),
  // Base URLs of the systems' own UIs, for deep links from each stage (none: no link).
  TEKTON_DASHBOARD_URL: url(["http:", "https:"], "an http:// or https:// URL"),
  ARGOCD_URL: url(["http:", "https:"], "an http:// or https:// URL"),
  // Set by Kubernetes in every pod: Shiplog then watches its own cluster with the in-cluster config.
  KUBERNETES_SERVICE_HOST: optionalText,
  SHIPLOG_DEMO_PASSWORD: optionalText,
});

export type Config = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  port: number;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  kubeconfig: string | undefined;
  inCluster: boolean;
  contexts: ContextMapping[];
  namespaces: string[];
  harbor: { url: string; username: string | undefined; password: string | undefined } | undefined;
  harborWebhookSecret: string | undefined;
  gitWebhookSecret: string | undefined;
  auth: {
    secret: string | undefined;
    url: string | undefined;
    oidc: { issuer: string; clientId: string; clientSecret: string; scopes: string[] } | undefined;
    /** Which SSO groups grant each role; `viewer` groups, when any, are required to sign in. */
    roleGroups: RoleGroups;
    /** Seconds from sign-in after which a session is over, however often it was refreshed. */
    sessionLifetimeS: number;
    /** Seconds between the checks an open event stream makes of its credentials. */
    eventsRecheckS: number;
    /**
     * E-mail domains within which a bare approver name (`alice`) also names the verified address
     * alice@DOMAIN; none by default, so a bare name matches the provider's username only.
     */
    approverDomains: string[];
  };
  demo: { enabled: boolean; password: string | undefined };
  /** Where a Slack-compatible `{ text }` is posted when an approval gate opens (optional). */
  gateWebhookUrl: string | undefined;
  /** Base URLs of Tekton Dashboard and Argo CD's UI, for deep links. */
  links: { tektonDashboard: string | null; argocd: string | null };
  /** Which PipelineRun params/results carry digests and the manifests commit; which pipelines verify. */
  sources: SourceOptionsInput;
};

type Env = Record<string, string | undefined>;

/** Validates an environment; throws ConfigError naming the first bad variable. Pure. */
export function loadConfig(env: Env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? "configuration");
    const problem =
      issue.code === "invalid_value" ? `must be one of ${issue.values.join(", ")}` : issue.message;
    throw new ConfigError(variable, problem);
  }
  const e = parsed.data;
  const oidcParts = [e.AUTH_OIDC_ISSUER, e.AUTH_OIDC_CLIENT_ID, e.AUTH_OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    const missing = ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"][
      oidcParts.findIndex((part) => !part)
    ];
    throw new ConfigError(missing, "is required when single sign-on is configured");
  }
  if (e.HARBOR_URL && !!e.HARBOR_USERNAME !== !!e.HARBOR_PASSWORD) {
    throw new ConfigError(
      e.HARBOR_USERNAME ? "HARBOR_PASSWORD" : "HARBOR_USERNAME",
      "is required with the other Harbor credential",
    );
  }
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    kubeconfig: e.KUBECONFIG,
    inCluster: e.KUBERNETES_SERVICE_HOST !== undefined,
    contexts: parseContexts(e.SHIPLOG_CONTEXTS),
    namespaces: e.SHIPLOG_NAMESPACES,
    harbor: e.HARBOR_URL
      ? { url: e.HARBOR_URL, username: e.HARBOR_USERNAME, password: e.HARBOR_PASSWORD }
      : undefined,
    harborWebhookSecret: e.HARBOR_WEBHOOK_SECRET,
    gitWebhookSecret: e.GIT_WEBHOOK_SECRET,
    auth: {
      secret: e.AUTH_SECRET,
      url: e.AUTH_URL,
      oidc:
        e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET
          ? {
              issuer: e.AUTH_OIDC_ISSUER,
              clientId: e.AUTH_OIDC_CLIENT_ID,
              clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
              scopes: e.AUTH_OIDC_SCOPES,
            }
          : undefined,
      roleGroups: parseRoleGroups(e.SHIPLOG_ROLE_GROUPS),
      sessionLifetimeS: e.SHIPLOG_SESSION_LIFETIME,
      eventsRecheckS: e.SHIPLOG_EVENTS_RECHECK,
      approverDomains: e.SHIPLOG_APPROVER_DOMAINS,
    },
    demo: {
      enabled: ["1", "true", "yes"].includes(e.SHIPLOG_DEMO ?? ""),
      password: e.SHIPLOG_DEMO_PASSWORD,
    },
    gateWebhookUrl: e.SHIPLOG_GATE_WEBHOOK_URL,
    links: {
      tektonDashboard: e.TEKTON_DASHBOARD_URL ?? null,
      argocd: e.ARGOCD_URL ?? null,
    },
    sources: {
      ...(e.SHIPLOG_DIGEST_PARAMS.length ? { digestParams: e.SHIPLOG_DIGEST_PARAMS } : {}),
      ...(e.SHIPLOG_DIGEST_RESULTS.length ? { digestResults: e.SHIPLOG_DIGEST_RESULTS } : {}),
      ...(e.SHIPLOG_MANIFESTS_RESULTS.length
        ? { manifestsRevisionResults: e.SHIPLOG_MANIFESTS_RESULTS }
        : {}),
      ...(e.SHIPLOG_VERIFY_PIPELINES.length ? { verifyPipelines: e.SHIPLOG_VERIFY_PIPELINES } : {}),
    },
  };
}

/** What a running server needs on top of a valid environment. */
export function requireServerConfig(config: Config): Config & { databaseUrl: string } {
  if (!config.databaseUrl) throw new ConfigError("DATABASE_URL", "is required (a postgres:// URL)");
  return config as Config & { databaseUrl: string };
}

/**
 * What sign-in needs before a server may start. Production refuses to run without a strong
 * AUTH_SECRET and the public AUTH_URL, and never turns demo sign-in on by accident: a demo
 * password without an explicit SHIPLOG_DEMO=true stops it rather than being ignored quietly.
 */
export function requireAuthConfig(config: Config): Config {
  const production = config.nodeEnv === "production";
  const { secret, url } = config.auth;
  if (production && !secret) {
    throw new ConfigError(
      "AUTH_SECRET",
      "is required in production (32+ random characters, e.g. openssl rand -base64 32)",
    );
  }
  if (production && secret && secret.length < 32) {
    throw new ConfigError("AUTH_SECRET", "must be at least 32 characters in production");
  }
  if (production && !url) {
    throw new ConfigError(
      "AUTH_URL",
      "is required in production (the public URL, e.g. https://shiplog.example.com)",
    );
  }
  if (config.demo.enabled && !config.demo.password) {
    throw new ConfigError(
      "SHIPLOG_DEMO_PASSWORD",
      "is required in demo mode (npm run demo generates one)",
    );
  }
  if (production && !config.demo.enabled && config.demo.password) {
    throw new ConfigError(
      "SHIPLOG_DEMO_PASSWORD",
      "is set but SHIPLOG_DEMO is not true: production refuses demo sign-in unless SHIPLOG_DEMO=true is given",
    );
  }
  return config;
}

let cached: Config | undefined;

/** The process's configuration, validated on first use. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/** One line for a person: what is wrong and where. */
export function describeConfigError(error: unknown): string | undefined {
  return error instanceof ConfigError
    ? `shiplog: configuration error: ${error.message}`
    : undefined;
}
