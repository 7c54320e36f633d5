// Prometheus metrics: one registry per process, with Node's default metrics.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

type Metrics = {
  registry: Registry;
  httpRequests: Counter<"route" | "status">;
  /** 1 while this replica holds the watcher lock (lib/ingest/leader.ts), else 0. */
  leader: Gauge;
};

const globalForMetrics = globalThis as unknown as { shiplogMetrics?: Metrics };

function create(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: "shiplog" });
  collectDefaultMetrics({ register: registry, prefix: "shiplog_" });
  const httpRequests = new Counter({
    name: "shiplog_http_requests_total",
    help: "HTTP requests served by Shiplog's API, by route and status code.",
    labelNames: ["route", "status"] as const,
    registers: [registry],
  });
  const leader = new Gauge({
    name: "shiplog_leader",
    help: "1 while this replica holds the watcher lock and runs the watchers, else 0; summed over the replicas it is 1.",
    registers: [registry],
  });
  return { registry, httpRequests, leader };
}

export function metrics(): Metrics {
  globalForMetrics.shiplogMetrics ??= create();
  return globalForMetrics.shiplogMetrics;
}
