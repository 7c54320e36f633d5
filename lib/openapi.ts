// The OpenAPI 3.1 document for every endpoint of the HTTP API (docs/api.md), served at /api/v1/openapi.json.
import { paths, type Operation } from "./openapi-paths";
import { schemas, type JsonSchema } from "./openapi-schemas";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, string>>;
  };
  security: Record<string, string[]>[];
};

export const openApiDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Shiplog",
    version: "1",
    description:
      "One timeline per commit for teams that ship to Kubernetes (kpack, Harbor, Tekton, Argo CD). " +
      "Authentication (session cookie or bearer token; roles viewer, approver, operator, admin) is " +
      "part of the contract but not enforced by this build yet.",
  },
  servers: [{ url: "/" }],
  tags: [
    { name: "timeline", description: "commits and their timelines" },
    { name: "approvals", description: "approval gates" },
    { name: "actions", description: "re-runs, rebuilds, syncs" },
    { name: "realtime", description: "server-sent events" },
    { name: "metrics", description: "DORA metrics" },
    { name: "webhooks", description: "Harbor and Git webhooks" },
    { name: "operations", description: "health, metrics, this document" },
  ],
  paths,
  components: {
    schemas,
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "an API token" },
      session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
    },
  },
  security: [{ bearer: [] }, { session: [] }],
};
