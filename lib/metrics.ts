// Prometheus metrics: one registry per process, with Node's default metrics.
import { Counter, Registry, collectDefaultMetrics } from "prom-client";

type Metrics = { registry: Registry; httpRequests: Counter<"route" | "status"> };

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
  return { registry, httpRequests };
}

export function metrics(): Metrics {
  globalForMetrics.shiplogMetrics ??= create();
  return globalForMetrics.shiplogMetrics;
}
