// The HTTPS front door: /clusters/{name}/... routes to that cluster's API, /_sim/... to the test controls.
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { type TokenUser, authenticate } from "./auth";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  negotiateAggregated,
  versionInfo,
} from "./discovery";
import { handleResource } from "./handlers";
import { type ApiRequest, type ServerEnv, sendJson, sendStatus, sendText } from "./http-util";
import { serveOpenApi } from "./openapi";
import { requestAttributes } from "./request-log";
import { parseApiPath } from "./request-info";
import { type ControlHandler, handleSimControl } from "./sim-control";
import {
  KubeError,
  internalError,
  resourceNotFound,
  toKubeError,
  unauthorized,
} from "./status-errors";
import type { Store } from "./store";

export interface KubeHttpServerOptions {
  host: string;
  port: number;
  tls: { key: string; cert: string };
  clusters: Record<string, Store>;
  tokens: Record<string, TokenUser>;
  env: Omit<ServerEnv, "serverAddress">;
  /** Extra GET routes under /_sim/, looked up per request (so they may be added after start). */
  controls?: Map<string, ControlHandler>;
  /** Told about unexpected (500) errors; the server answers them and carries on. */
  onError?: (err: unknown) => void;
}

export interface KubeHttpServer {
  port: number;
  close(): Promise<void>;
}

const CLUSTER_PATH = /^\/clusters\/([^/]+)(\/.*)?$/;

async function serveCluster(r: ApiRequest, pathname: string): Promise<void> {
  const path = parseApiPath(pathname);
  const registry = r.store.registry;
  const accept = r.req.headers.accept;
  switch (path.kind) {
    case "root":
      return sendJson(r.res, 200, {
        paths: [
          "/api",
          "/api/v1",
          "/apis",
          ...registry
            .groupVersions()
            .flatMap((g) =>
              g.group
                ? [`/apis/${g.group}`, ...g.versions.map((v) => `/apis/${g.group}/${v}`)]
                : [],
            ),
          "/openapi/v2",
          "/openapi/v3",
          "/version",
        ],
      });
    case "api":
    case "apis": {
      const aggregated = negotiateAggregated(accept);
      if (aggregated) {
        return sendJson(
          r.res,
          200,
          aggregatedDiscovery(registry, path.kind, aggregated),
          aggregatedContentType(aggregated),
        );
      }
      return sendJson(
        r.res,
        200,
        path.kind === "api" ? apiVersions(r.env.serverAddress) : apiGroupList(registry),
      );
    }
    case "group": {
      const g = apiGroup(registry, path.group);
      if (!g) throw resourceNotFound();
      return sendJson(r.res, 200, g);
    }
    case "groupVersion": {
      const list = apiResourceList(registry, path.group, path.version);
      if (!list) throw resourceNotFound();
      return sendJson(r.res, 200, list);
    }
    case "openapi":
      return serveOpenApi(r, path.rest);
    case "resource":
      return handleResource(r, path);
    default:
      throw resourceNotFound();
  }
}

export function startKubeHttpServer(opts: KubeHttpServerOptions): Promise<KubeHttpServer> {
  const { faults } = opts.env;
  const env: ServerEnv = { ...opts.env, serverAddress: `${opts.host}:${opts.port}` };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://localhost");
    if (url.pathname === "/_sim" || url.pathname.startsWith("/_sim/")) {
      return handleSimControl(req, res, url, {
        faults,
        writes: env.writes,
        requests: env.requests,
        controls: opts.controls,
      });
    }
    const m = CLUSTER_PATH.exec(url.pathname);
    const store = m ? opts.clusters[m[1]] : undefined;
    if (!m || !store) {
      throw new KubeError(
        404,
        "NotFound",
        `no such cluster; serve paths under ${Object.keys(opts.clusters)
          .map((c) => `/clusters/${c}`)
          .join(", ")}`,
      );
    }
    const cluster = m[1];
    const pathname = m[2] ?? "/";
    await faults.whenResumed();
    const fault = faults.take(cluster);
    if (fault === "hang") return faults.hold(res);
    if (fault === "error") throw internalError("simulated failure (fault injection)");
    const path = parseApiPath(pathname);
    if (path.kind === "version") return sendJson(res, 200, versionInfo());
    if (path.kind === "health") return sendText(res, 200, "ok");
    const user = authenticate(req, opts.tokens);
    if (!user) throw unauthorized();
    env.requests?.record(
      ...requestAttributes(req, url, path, pathname, cluster, user, env.now().toISOString()),
    );
    await serveCluster(
      { req, res, url, cluster, prefix: `/clusters/${cluster}`, store, env, user },
      pathname,
    );
  }

  const server = https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    route(req, res).catch((err: unknown) => {
      const kerr = toKubeError(err);
      if (kerr.code >= 500 && !(err instanceof KubeError)) opts.onError?.(err);
      if (res.headersSent) res.destroy();
      else sendStatus(res, kerr);
    });
  });
  server.on("clientError", (_err, socket) => socket.destroy());

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      const port = (server.address() as AddressInfo).port;
      env.serverAddress = `${opts.host}:${port}`;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            faults.dropWatches({ abrupt: true });
            faults.reset();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
