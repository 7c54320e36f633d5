// The paths of the OpenAPI document: every endpoint of the HTTP API (docs/api.md). Those not built yet carry
// `x-shiplog-implemented: false` and say so in their description.
import {
  list,
  object,
  string,
  dateTime,
  json,
  error,
  PLANNED,
  PUBLIC,
  type Operation,
  type Parameter,
} from "./openapi-parts";
import { runAndGatePaths } from "./openapi-paths-actions";
import { ref, type JsonSchema } from "./openapi-schemas";

export type { Operation } from "./openapi-parts";
import { STATUSES } from "./sources/types";

/** An API token as the admin endpoints show it (lib/auth/tokens.ts tokenView): never its hash. */
const tokenView = {
  type: "object",
  properties: {
    id: string,
    name: string,
    role: { type: "string", enum: ["viewer", "approver", "operator", "admin"] },
    prefix: string,
    createdBy: string,
    createdAt: dateTime,
    expiresAt: { type: ["string", "null"], format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    revokedAt: { type: ["string", "null"], format: "date-time" },
    state: { type: "string", enum: ["active", "expired", "revoked"] },
  },
  required: [
    "id",
    "name",
    "role",
    "prefix",
    "createdBy",
    "createdAt",
    "expiresAt",
    "lastUsedAt",
    "revokedAt",
    "state",
  ],
} satisfies JsonSchema;

const appParam = (description: string): Parameter => ({
  name: "app",
  in: "query",
  description,
  schema: { type: "string" },
});

const commitsParams: Parameter[] = [
  appParam("only this app's commits"),
  { name: "branch", in: "query", description: "only this branch", schema: { type: "string" } },
  {
    name: "status",
    in: "query",
    description: "only commits whose overall status is this",
    schema: { type: "string", enum: STATUSES },
  },
  {
    name: "q",
    in: "query",
    description: "a SHA prefix (4+ hex characters) or a case-insensitive substring of the message",
    schema: { type: "string", maxLength: 200 },
  },
  {
    name: "author",
    in: "query",
    description: "only commits whose author name or email is this (case-insensitive)",
    schema: { type: "string", maxLength: 320 },
  },
  {
    name: "environment",
    in: "query",
    description: "only commits with a deploy stage in this environment",
    schema: { type: "string", maxLength: 100 },
  },
  {
    name: "limit",
    in: "query",
    description: "page size",
    schema: { type: "integer", minimum: 1, maximum: 200, default: 50 },
  },
  {
    name: "cursor",
    in: "query",
    description: "nextCursor of the previous page (opaque)",
    schema: { type: "string" },
  },
];

export const paths: Record<string, Record<string, Operation>> = {
  "/api/v1/apps": {
    get: {
      operationId: "listApps",
      summary: "Apps, the environments they deploy to, and their newest commit",
      tags: ["timeline"],
      "x-shiplog-implemented": true,
      responses: {
        "200": json(list(ref("AppListing")), "every app, by name"),
        "400": error("an unknown query parameter"),
      },
    },
  },
  "/api/v1/commits": {
    get: {
      operationId: "listCommits",
      summary: "Commits, newest first (undated ones last)",
      tags: ["timeline"],
      "x-shiplog-implemented": true,
      parameters: commitsParams,
      responses: {
        "200": json(ref("CommitPage"), "one page; nextCursor is null on the last"),
        "400": error("a malformed parameter or cursor"),
      },
    },
  },
  "/api/v1/commits/{sha}": {
    get: {
      operationId: "getCommitTimeline",
      summary: "One commit's timeline",
      tags: ["timeline"],
      "x-shiplog-implemented": true,
      parameters: [
        {
          name: "sha",
          in: "path",
          required: true,
          description: "the full SHA or a prefix of 7+ hex characters",
          schema: { type: "string", pattern: "^[0-9a-fA-F]{7,64}$" },
        },
        appParam("the app, when the prefix matches commits of several apps"),
      ],
      responses: {
        "200": json(ref("CommitTimeline"), "the timeline"),
        "400": error("not a SHA prefix, or a prefix matching several commits"),
        "404": error("no such commit"),
      },
    },
  },
  "/api/v1/deployments": {
    get: {
      operationId: "listDeployments",
      summary: "What runs in each environment now",
      description:
        "Per Argo CD Application still in its cluster: the newest deploy that belongs to a commit (a deploy whose sync failed never went live), with the Application's health and sync status now.",
      tags: ["timeline"],
      "x-shiplog-implemented": true,
      parameters: [appParam("only this app's deployments")],
      responses: {
        "200": json(list(ref("Deployment")), "by app, then environment in configured order"),
        "400": error("an unknown or malformed query parameter"),
      },
    },
  },
  ...runAndGatePaths,
  "/api/v1/tokens": {
    get: {
      operationId: "listTokens",
      summary: "Every API token, without its hash",
      description: "Needs the admin role.",
      tags: ["admin"],
      "x-shiplog-implemented": true,
      responses: {
        "200": json(list(tokenView), "the tokens, newest first"),
        "401": error("without credentials"),
        "403": error("without the admin role"),
      },
    },
    post: {
      operationId: "createToken",
      summary: "Create an API token; the token itself is in this answer only",
      description:
        "Needs the admin role. `expires` is a lifetime such as `30d` or `12h`; without it the token does not expire.",
      tags: ["admin"],
      "x-shiplog-implemented": true,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                name: { type: "string", minLength: 1, maxLength: 100 },
                role: { type: "string", enum: ["viewer", "approver", "operator", "admin"] },
                expires: { type: "string" },
              },
              required: ["name", "role"],
              additionalProperties: false,
            },
          },
        },
      },
      responses: {
        "201": json(
          {
            ...tokenView,
            properties: { ...tokenView.properties, token: string },
            required: [...(tokenView.required ?? []), "token"],
          },
          "the new token (shown once) and its record",
        ),
        "400": error("a bad name, role or lifetime"),
        "401": error("without credentials"),
        "403": error("without the admin role, or a cookie request from another origin"),
        "413": error("a body over 64 KiB"),
        "415": error("a body not sent as Content-Type: application/json"),
      },
    },
  },
  "/api/v1/tokens/{id}": {
    delete: {
      operationId: "revokeToken",
      summary: "Revoke an API token",
      description: "Needs the admin role.",
      tags: ["admin"],
      "x-shiplog-implemented": true,
      parameters: [
        { name: "id", in: "path", required: true, description: "the token's id", schema: string },
      ],
      responses: {
        "200": json(tokenView, "the revoked token"),
        "401": error("without credentials"),
        "403": error("without the admin role, or a cookie request from another origin"),
        "404": error("no such token"),
        "409": error("already revoked"),
      },
    },
  },
  "/api/v1/events": {
    get: {
      operationId: "events",
      summary: "Server-sent events: `timeline` {app, sha} and `gate` {id, status}",
      description:
        "A client reconnecting with Last-Event-ID misses nothing still retained. The stream re-checks its session or token every SHIPLOG_EVENTS_RECHECK (a minute) and ends, after an `end` event, once it no longer holds. At most 10 streams per person or token are open at once on a server.",
      tags: ["realtime"],
      "x-shiplog-implemented": true,
      parameters: [
        {
          name: "Last-Event-ID",
          in: "header",
          description: "resume after this event",
          schema: { type: "string" },
        },
      ],
      responses: {
        "200": {
          description: "an event stream",
          content: { "text/event-stream": { schema: string } },
        },
        "401": error("without credentials"),
        "429": error("10 event streams are already open for this person or token"),
      },
    },
  },
  "/api/v1/metrics/dora": {
    get: {
      operationId: "doraMetrics",
      summary:
        "Deployment frequency, lead time, change failure rate, time to restore, per environment",
      description: PLANNED,
      tags: ["metrics"],
      "x-shiplog-implemented": false,
      parameters: [
        appParam("the app"),
        { name: "from", in: "query", description: "start", schema: dateTime },
        { name: "to", in: "query", description: "end", schema: dateTime },
      ],
      responses: { "200": json({ type: "object" }, "the metrics per environment") },
    },
  },
  "/api/webhooks/harbor": webhook(
    "harbor",
    "Harbor (Authorization header = HARBOR_WEBHOOK_SECRET)",
  ),
  "/api/webhooks/git": webhook(
    "git",
    "GitLab (X-Gitlab-Token) or GitHub (X-Hub-Signature-256) push events",
  ),
  "/api/healthz": {
    get: {
      operationId: "healthz",
      summary: "Liveness: the process answers",
      tags: ["operations"],
      "x-shiplog-implemented": true,
      security: PUBLIC,
      responses: { "200": json(object({ status: string }), "alive") },
    },
  },
  "/api/readyz": {
    get: {
      operationId: "readyz",
      summary:
        "Readiness: the database answers and is migrated, the watchers are not stuck failing",
      tags: ["operations"],
      "x-shiplog-implemented": true,
      security: PUBLIC,
      responses: {
        "200": json({ type: "object" }, "ready"),
        "503": json({ type: "object" }, "not ready, with the failing check"),
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "prometheusMetrics",
      summary: "Prometheus text exposition format",
      tags: ["operations"],
      "x-shiplog-implemented": true,
      security: PUBLIC,
      responses: {
        "200": { description: "metrics", content: { "text/plain": { schema: string } } },
      },
    },
  },
  "/api/v1/openapi.json": {
    get: {
      operationId: "openapi",
      summary: "This document",
      tags: ["operations"],
      "x-shiplog-implemented": true,
      security: PUBLIC,
      responses: { "200": json({ type: "object" }, "OpenAPI 3.1") },
    },
  },
};

function webhook(name: string, who: string): Record<string, Operation> {
  return {
    post: {
      operationId: `${name}Webhook`,
      summary: `Webhook from ${who}`,
      description:
        "Authenticated by its secret, not by a session or token; never stores a partial record.",
      tags: ["webhooks"],
      "x-shiplog-implemented": true,
      security: PUBLIC,
      requestBody: {
        required: true,
        content: { "application/json": { schema: { type: "object" } } },
      },
      responses: {
        "202": { description: "stored, or an event it ignores" },
        "400": error("malformed JSON"),
        "401": error("without the secret"),
        "413": error("over 1 MiB"),
      },
    },
  };
}
